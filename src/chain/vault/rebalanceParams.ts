/** IRangeVault.RebalanceParams: what a keeper asks RangeVault.rebalance for, and the state it priced. */
export interface RebalanceParams {
  /** New base range, aligned to the pool's tick spacing; it must contain the price after the optional swap. */
  baseLower: number;
  baseUpper: number;
  /** Width of the one-sided limit range the vault places next to the price on the side of its leftover token. */
  limitWidth: number;
  /** The tick the keeper priced; the call reverts if the spot tick is further than tickTolerance from it. */
  expectedTick: number;
  tickTolerance: number;
  /** Optional exact-input swap through the pool (swapAmountIn 0: none), bounded by swapSqrtPriceLimitX96. */
  swapZeroForOne: boolean;
  swapAmountIn: bigint;
  swapSqrtPriceLimitX96: bigint;
  /** Unix time after which the call reverts. */
  deadline: bigint;
}

/** `tick` rounded down to a multiple of `tickSpacing` (towards negative infinity, as the pool's ranges need). */
export function floorTick(tick: number, tickSpacing: number): number {
  return Math.floor(tick / tickSpacing) * tickSpacing;
}

/**
 * Charm-style ranges around `tick`: base [floor − baseHalfWidth, floor + baseHalfWidth] with floor the tick rounded
 * down to the spacing, a limit range `limitWidth` wide, no swap, and `tick` as the priced state.
 */
export function centeredRebalance(options: {
  tick: number;
  tickSpacing: number;
  baseHalfWidth: number;
  limitWidth: number;
  tickTolerance?: number;
  deadline: bigint;
}): RebalanceParams {
  const floor = floorTick(options.tick, options.tickSpacing);
  return {
    baseLower: floor - options.baseHalfWidth,
    baseUpper: floor + options.baseHalfWidth,
    limitWidth: options.limitWidth,
    expectedTick: options.tick,
    tickTolerance: options.tickTolerance ?? 0,
    swapZeroForOne: false,
    swapAmountIn: 0n,
    swapSqrtPriceLimitX96: 0n,
    deadline: options.deadline,
  };
}
