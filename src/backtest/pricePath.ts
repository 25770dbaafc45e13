import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from "../uniswap/constants.js";
import { PoolSimulator } from "../uniswap/poolSimulator.js";
import type { PoolState } from "../uniswap/poolState.js";
import { BacktestInputError } from "./errors.js";
import type { MarketPath } from "./marketPath.js";

/** One step of a price path: at `timestamp`, the pool's price is moved to `sqrtPriceX96` (null: left alone). */
export interface PricePathStep {
  timestamp: number;
  sqrtPriceX96: bigint | null;
}

export interface PricePathParameters {
  /** The pool before the first step, e.g. as readPoolState read it from a chain (with its observations). */
  state: PoolState;
  steps: readonly PricePathStep[];
  /** Where the steps come from, for the report. */
  source: string;
}

// An exact-input amount no move needs all of: the swap stops at its price limit, as movePriceTo's does.
const MOVE_AMOUNT = 1n << 120n;

/**
 * A path of prices driven into a pool as movePriceTo drives them into a chain: at each step one swap through
 * the pool, exact input and capped by the target as its price limit, so a pool started from the chain's state
 * ends every step in the chain's state to the wei (fees of the moves included). This is the fast twin of the
 * demo's replay (src/demo/runDemo.ts): the same pool, the same moves, the same strategy.
 */
export function pricePath({ state, steps, source }: PricePathParameters): MarketPath {
  if (steps.length === 0)
    throw new BacktestInputError("steps", "expected at least one step of the price path");
  steps.forEach((step, i) => {
    if (i > 0 && step.timestamp < steps[i - 1]!.timestamp)
      throw new BacktestInputError(
        `steps[${i}].timestamp`,
        `expected times in order, got ${step.timestamp} after ${steps[i - 1]!.timestamp}`,
      );
    if (
      step.sqrtPriceX96 !== null &&
      (step.sqrtPriceX96 <= MIN_SQRT_RATIO || step.sqrtPriceX96 >= MAX_SQRT_RATIO)
    )
      throw new BacktestInputError(
        `steps[${i}].sqrtPriceX96`,
        `expected a price strictly inside the pool's bounds, got ${step.sqrtPriceX96}`,
      );
  });
  let last = state.sqrtPriceX96;
  const sqrtPrices = steps.map((step) => (last = step.sqrtPriceX96 ?? last));
  return {
    kind: "price-path",
    timestamps: steps.map((step) => step.timestamp),
    sqrtPrices,
    createPool: () => new PoolSimulator(state),
    applyStep(pool, index) {
      const step = steps[index]!;
      pool.setTime(step.timestamp);
      const target = step.sqrtPriceX96;
      if (target === null || target === pool.sqrtPriceX96) return;
      pool.swap({
        zeroForOne: target < pool.sqrtPriceX96,
        amountSpecified: MOVE_AMOUNT,
        sqrtPriceLimitX96: target,
      });
    },
    assumptions: [
      `Price path (${source}): each step moves the pool to the recorded price with one swap, the pool's other liquidity as it stood at the start; the vault's fees come only from those moves, not from the recorded volume between them.`,
    ],
  };
}
