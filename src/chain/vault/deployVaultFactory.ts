import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { Address } from "viem";

export interface VaultInfrastructure {
  /** RangeVaultFactory: deploys vaults for canonical pools and records them by pool. */
  factory: Address;
  /** RangeVaultLens: one-call views of any vault. */
  lens: Address;
}

/** Deploys a RangeVaultFactory for the pools of `uniswapFactory`, and the stateless RangeVaultLens. */
export async function deployVaultFactory(
  viem: HardhatViemHelpers,
  uniswapFactory: Address,
): Promise<VaultInfrastructure> {
  const factory = await viem.deployContract("RangeVaultFactory", [uniswapFactory]);
  const lens = await viem.deployContract("RangeVaultLens");
  return { factory: factory.address, lens: lens.address };
}
