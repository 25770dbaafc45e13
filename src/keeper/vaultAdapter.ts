import type { AbiEvent, Log } from "viem";

import type { VaultConfig } from "./config/schema.js";
import type { ContractCall } from "./execute/contractCall.js";
import type { ContractRead, ContractReadResult } from "./rpc/readContractsAtBlock.js";
import type { PoolState, VaultSnapshot } from "./snapshot.js";

/**
 * Where a vault contract plugs into the keeper: which extra reads go into each block's one batched
 * request, which of the vault's events join the block's one logs request, how the reads become the
 * snapshot's `vaultState`, and which call carries out a plan (with the expected tick and tolerance the
 * vault checks).
 */
export interface VaultAdapter<VaultState = unknown, Plan = unknown> {
  /** Events read from every vault's address (decoded into the snapshot's `vaultEvents`). */
  events: readonly AbiEvent[];
  reads(vault: VaultConfig): ContractRead[];
  /** `results` are those of `reads(vault)`, in order; `pool` is the vault's pool read in the same request. */
  decode(vault: VaultConfig, results: ContractReadResult[], pool: PoolState): VaultState;
  /**
   * True when the reads were chosen before the vault changed (e.g. its ranges moved in this very block):
   * `reads` and `decode` then run again for such vaults, all of them in one more batched request.
   */
  stale?(vault: VaultConfig, state: VaultState): boolean;
  toCall(vault: VaultConfig, plan: Plan, snapshot: VaultSnapshot<VaultState>): ContractCall;
  /** What a mined call cost beyond gas, from its receipt's logs (recorded with the rebalance). */
  costs?(vault: VaultConfig, logs: readonly Log[]): Record<string, unknown>;
}
