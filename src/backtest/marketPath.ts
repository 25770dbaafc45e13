import type { PoolSimulator } from "../uniswap/poolSimulator.js";

/**
 * Recorded history as steps the backtester walks: a fresh pool at the start, and for each step (a block of
 * swaps, a minute bar) what happened to the pool, applied to a pool that also holds the vault's positions, so
 * their fees and every price impact come out of the simulator.
 */
export interface MarketPath {
  kind: "swaps" | "minute-bars" | "price-path";
  /** End time of each step, seconds. */
  timestamps: readonly number[];
  /** The recorded price after each step (a pool without the vault ends each step there). */
  sqrtPrices: readonly bigint[];
  /** A new pool in the state before the first step (each run gets its own). */
  createPool(): PoolSimulator;
  /** Applies step `index` to `pool` (which may hold positions the recording did not). */
  applyStep(pool: PoolSimulator, index: number): void;
  /** The approximations this path makes, stated in the report. */
  assumptions: string[];
}
