import type { Address, PublicClient } from "viem";

import { rangeVaultLensAbi } from "./abi.js";

/** RangeVaultLens.VaultState as viem decodes it: spot and TWAP, totals, both ranges, inventory, guards' state. */
export type VaultState = Awaited<ReturnType<typeof readVaultState>>;

/** The whole state of `vault` in one call through a RangeVaultLens, at the latest block (or `blockNumber`). */
export async function readVaultState(
  publicClient: PublicClient,
  { lens, vault, blockNumber }: { lens: Address; vault: Address; blockNumber?: bigint },
) {
  return publicClient.readContract({
    address: lens,
    abi: rangeVaultLensAbi,
    functionName: "getState",
    args: [vault],
    blockNumber,
  });
}
