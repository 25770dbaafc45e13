import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { erc20Abi, getAddress, type Address } from "viem";

import { setErc20Balance } from "../../src/chain/setErc20Balance.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { fundAccount } from "../../src/chain/fundAccount.js";

/**
 * Adds `amount` of any ERC-20 to `account` on a simulated chain: WETH and the mirror's USDC through fundAccount
 * (wrapped ETH, minted USDC), any other token (WBTC on a fork, say) by writing its balance slot.
 */
export async function fundToken(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  token: Address,
  account: Address,
  amount: bigint,
): Promise<void> {
  if (getAddress(token) === getAddress(deployment.weth)) {
    return fundAccount(viem, deployment, account, { usdc: 0n, weth: amount });
  }
  if (getAddress(token) === getAddress(deployment.usdc)) {
    return fundAccount(viem, deployment, account, { usdc: amount, weth: 0n });
  }
  const publicClient = await viem.getPublicClient();
  const balance = await publicClient.readContract({
    address: token,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [account],
  });
  await setErc20Balance(viem, token, account, balance + amount);
}
