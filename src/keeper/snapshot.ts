import type { Address, Hash } from "viem";

import type { StrategySnapshot } from "../strategies/types.js";
import type { PoolInfo } from "./readPoolInfo.js";
import type { ContractEvent, PoolEvent } from "./watch/readBlockEvents.js";

/** The confirmed block a snapshot was read at. */
export interface BlockRef {
  number: bigint;
  hash: Hash;
  /** Known for blocks the watcher offers: lets readers tell a continuous chain of blocks from a break. */
  parentHash?: Hash;
  timestamp: bigint;
  baseFeePerGas: bigint | null;
}

/** A pool's state as slot0, liquidity and the fee growth accumulators report it, beside what never changes. */
export interface PoolState extends PoolInfo {
  sqrtPriceX96: bigint;
  tick: number;
  observationIndex: number;
  observationCardinality: number;
  liquidity: bigint;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
}

/**
 * What the keeper knows of one vault at one confirmed block, all of it read in the block's single batched
 * request (and its one logs request). `vaultState` is what the vault adapter decodes from its own reads
 * (null without an adapter, e.g. for pool:watch).
 */
export interface VaultSnapshot<VaultState = unknown> {
  /** The vault's name in the config. */
  vault: string;
  address: Address;
  block: BlockRef;
  pool: PoolState;
  /** Tokens held by the vault's address itself (idle inventory, outside positions). */
  balances: { token0: bigint; token1: bigint };
  /** The pool's Swap/Mint/Burn events in this block. */
  events: PoolEvent[];
  /** The vault's own events in this block (those the adapter asks for), in log order. */
  vaultEvents: ContractEvent[];
  /** The pool that prices gas in token1 for a pair without WETH (vaults[].gasPricePool), read in the same request. */
  gasPricePool: PoolState | null;
  vaultState: VaultState | null;
}

/**
 * Numbers the measure step derives from a snapshot. The named keys feed the Prometheus gauges of the same
 * meaning when present (`observeMeasurements`); anything else is stored with the snapshot.
 */
export interface Measurements {
  /** Token1 value share minus the target share (fraction, signed). */
  drift?: number;
  /** Impermanent loss versus holding, as a fraction of the holding's value (≤ 0 is a loss). */
  impermanentLoss?: number;
  /** Loss-versus-rebalancing accrued, in token1 units. */
  lvr?: number;
  /** Vault value in token1 units. */
  value?: number;
  /** Uncollected plus collected fees, in token1 units. */
  fees?: number;
  inRange?: boolean;
  [name: string]: unknown;
}

export interface MeasuredSnapshot<VaultState = unknown> extends VaultSnapshot<VaultState> {
  measurements: Measurements;
  /**
   * The strategies' input built from this block (src/strategies/types.ts), exactly what a pure strategy is
   * given; null when the measure step could not build one (e.g. no vault state).
   */
  strategySnapshot: StrategySnapshot | null;
}
