import type { NetworkConnection } from "hardhat/types/network";
import { erc20Abi, getAddress, maxUint256, type Address } from "viem";

import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { deployVault } from "../../src/chain/vault/deployVault.js";
import { deployVaultFactory } from "../../src/chain/vault/deployVaultFactory.js";
import { defaultVaultParams, type VaultParams } from "../../src/chain/vault/params.js";
import { loadSigner } from "../../src/keeper/signer/loadSigner.js";
import { FAR_DEADLINE } from "./vaultActions.js";
import { mined } from "./vaultPool.js";

export interface KeeperVaultsParameters {
  /** A pool of the deployment (the mirror's USDC/WETH pools hold funded tokens for every wallet). */
  pool: Address;
  tickSpacing: number;
  token0: Address;
  token1: Address;
  /** Hardhat account index of the keeper's signer: every vault's keeper. */
  keeperIndex: number;
  /** Vault names (share symbols); one vault each. */
  names: readonly string[];
  /** What the depositor (wallet 1) puts into each vault. */
  deposit: { amount0: bigint; amount1: bigint };
  params?: (tickSpacing: number) => VaultParams;
}

/**
 * RangeVaults for keeper tests: a factory and lens on the deployment's Uniswap factory, one vault per name on
 * `pool` kept by the Hardhat account `keeperIndex`, owned by wallet 0, each holding wallet 1's deposit.
 */
export async function deployKeeperVaults(
  connection: NetworkConnection,
  deployment: UniswapDeployment,
  p: KeeperVaultsParameters,
): Promise<{ factory: Address; lens: Address; vaults: Address[]; keeper: Address; depositor: Address }> {
  const { viem } = connection;
  const wallets = await viem.getWalletClients();
  const [owner, depositor] = [wallets[0]!, wallets[1]!];
  const keeper = (await loadSigner({ signer: { type: "hardhat", index: p.keeperIndex }, chainId: 31337 }))
    .address;
  const { factory, lens } = await deployVaultFactory(viem, deployment.factory);
  const vaults: Address[] = [];
  for (const name of p.names) {
    const vault = await deployVault(viem, {
      factory,
      pool: p.pool,
      name,
      symbol: name,
      owner: owner.account.address,
      keeper,
      treasury: owner.account.address,
      protocolFeeBps: 1000,
      params: (p.params ?? defaultVaultParams)(p.tickSpacing),
    });
    for (const token of [p.token0, p.token1])
      await mined(
        viem,
        await depositor.writeContract({
          address: token,
          abi: erc20Abi,
          functionName: "approve",
          args: [vault, maxUint256],
        }),
      );
    await mined(
      viem,
      await depositor.writeContract({
        address: vault,
        abi: rangeVaultAbi,
        functionName: "deposit",
        args: [p.deposit.amount0, p.deposit.amount1, 0n, 0n, 0n, depositor.account.address, FAR_DEADLINE],
      }),
    );
    vaults.push(vault);
  }
  return {
    factory: getAddress(factory),
    lens: getAddress(lens),
    vaults,
    keeper,
    depositor: depositor.account.address,
  };
}
