import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { erc20Abi, parseEther, type Address } from "viem";

import { weth9Abi } from "./abi/uniswap.js";
import { setErc20Balance } from "./setErc20Balance.js";
import type { UniswapDeployment } from "./uniswap.js";

/**
 * Gives `account` `usdc` more USDC and `weth` more WETH on a simulated chain (mirror or fork). WETH is
 * real: ETH is credited and wrapped by the account itself, so WETH9 stays fully backed. USDC is minted on
 * the mirror; on a fork, where nobody can mint it, its balance slot is written.
 */
export async function fundAccount(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  account: Address,
  amounts: { usdc: bigint; weth: bigint },
): Promise<void> {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const wait = async (hash: `0x${string}`) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`funding ${account} reverted in ${hash}`);
  };

  if (amounts.weth > 0n) {
    const ether = await publicClient.getBalance({ address: account });
    await testClient.setBalance({ address: account, value: ether + amounts.weth + parseEther("1") });
    await testClient.impersonateAccount({ address: account });
    const wallet = await viem.getWalletClient(account);
    await wait(
      await wallet.writeContract({
        address: deployment.weth,
        abi: weth9Abi,
        functionName: "deposit",
        value: amounts.weth,
      }),
    );
  }
  if (amounts.usdc > 0n) {
    if (deployment.target === "mirror") {
      const usdc = await viem.getContractAt("MirrorToken", deployment.usdc);
      await wait(await usdc.write.mint([account, amounts.usdc]));
    } else {
      const balance = await publicClient.readContract({
        address: deployment.usdc,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [account],
      });
      await setErc20Balance(viem, deployment.usdc, account, balance + amounts.usdc);
    }
  }
}
