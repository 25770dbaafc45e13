import type { AbiEvent, Log } from "viem";

import type { VaultConfig } from "./config/schema.js";
import type { ContractCall } from "./execute/contractCall.js";
import type { ContractRead, ContractReadResult } from "./rpc/readContractsAtBlock.js";
import type { BlockRef, PoolState, VaultSnapshot } from "./snapshot.js";
import type { BlockEvents } from "./watch/readBlockEvents.js";

/**
 * Where a vault contract plugs into the keeper: which extra reads go into each block's one batched
 * request, which of the vault's events join the block's one logs request, how the reads become the
 * snapshot's `vaultState`, and which call carries out a plan (with the expected tick and tolerance the
 * vault checks).
 */
export interface VaultAdapter<VaultState = unknown, Plan = unknown> {
  /** Events read from every vault's address (decoded into the snapshot's `vaultEvents`). */
  events: readonly AbiEvent[];
  /**
   * Told each block's events (read first, in the block's one logs request) before `reads`, so the adapter
   * can read only what may have changed.
   */
  prepare?(block: BlockRef, vaults: readonly VaultConfig[], events: BlockEvents): void;
  reads(vault: VaultConfig): ContractRead[];
  /**
   * `results` are those of `reads(vault)`, in order; the vault's pool and its token balances were read in the
   * same request.
   */
  decode(vault: VaultConfig, results: ContractReadResult[], context: DecodeContext): VaultState;
  /**
   * True when the reads were chosen before the vault changed (e.g. its ranges moved in this very block):
   * `reads` and `decode` then run again for such vaults, all of them in one more batched request.
   */
  stale?(vault: VaultConfig, state: VaultState): boolean;
  /** Every vault of the block has been decoded (a block whose reads failed never gets here). */
  finish?(block: BlockRef): void;
  toCall(vault: VaultConfig, plan: Plan, snapshot: VaultSnapshot<VaultState>): ContractCall;
  /** What a mined call cost beyond gas, from its receipt's logs (recorded with the rebalance). */
  costs?(vault: VaultConfig, logs: readonly Log[]): Record<string, unknown>;
}

export interface DecodeContext {
  pool: PoolState;
  balances: { token0: bigint; token1: bigint };
  block: BlockRef;
}
