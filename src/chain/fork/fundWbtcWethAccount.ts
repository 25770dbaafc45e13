import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { erc20Abi, type Address } from "viem";

import { MAINNET_WBTC_WETH } from "../addresses.js";
import { fundAccount } from "../fundAccount.js";
import { setErc20Balance } from "../setErc20Balance.js";
import { mainnetDeployment } from "../uniswap.js";

/**
 * Gives `account` `wbtc` more WBTC and `weth` more WETH on a mainnet fork (recorded snapshot or real RPC). WETH
 * is real: fundAccount credits ether and the account wraps it, so WETH9 stays fully backed. WBTC's balance slot
 * is written (setErc20Balance), which works for the snapshot's stand-in and for the real token alike.
 */
export async function fundWbtcWethAccount(
  viem: HardhatViemHelpers,
  account: Address,
  amounts: { wbtc: bigint; weth: bigint },
): Promise<void> {
  await fundAccount(viem, mainnetDeployment("fork"), account, { usdc: 0n, weth: amounts.weth });
  if (amounts.wbtc > 0n) {
    const balance = await (
      await viem.getPublicClient()
    ).readContract({
      address: MAINNET_WBTC_WETH.wbtc,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [account],
    });
    await setErc20Balance(viem, MAINNET_WBTC_WETH.wbtc, account, balance + amounts.wbtc);
  }
}
