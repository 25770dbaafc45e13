import { getFeeGrowthInside, getTokensOwed, type FeeGrowthOutside } from "../uniswap/feeGrowth.js";

export interface PositionFeesParameters {
  tickLower: number;
  tickUpper: number;
  /** slot0.tick */
  tickCurrent: number;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  /** `ticks(tickLower)` and `ticks(tickUpper)`; null for a tick that is not initialised. */
  lower: FeeGrowthOutside | null;
  upper: FeeGrowthOutside | null;
  /** `positions(key)`. */
  position: {
    liquidity: bigint;
    feeGrowthInside0LastX128: bigint;
    feeGrowthInside1LastX128: bigint;
    tokensOwed0: bigint;
    tokensOwed1: bigint;
  };
}

export interface PositionFees {
  /** What collect would pay after a poke: fees not yet credited plus tokens already owed. */
  amount0: bigint;
  amount1: bigint;
  /** Of which accrued since the position was last touched (from fee growth inside). */
  uncredited0: bigint;
  uncredited1: bigint;
}

/**
 * Fees a position has earned and can collect, to the wei, from the pool reads a keeper already makes
 * (fee growth global, the two ticks' fee growth outside, the position) — no transaction, no simulation.
 */
export function positionFees(parameters: PositionFeesParameters): PositionFees {
  const { position } = parameters;
  const inside = getFeeGrowthInside(
    parameters.lower,
    parameters.upper,
    parameters.tickLower,
    parameters.tickUpper,
    parameters.tickCurrent,
    parameters.feeGrowthGlobal0X128,
    parameters.feeGrowthGlobal1X128,
  );
  const owed = getTokensOwed(
    position.liquidity,
    position.feeGrowthInside0LastX128,
    position.feeGrowthInside1LastX128,
    inside,
  );
  return {
    amount0: BigInt.asUintN(128, position.tokensOwed0 + owed.amount0),
    amount1: BigInt.asUintN(128, position.tokensOwed1 + owed.amount1),
    uncredited0: owed.amount0,
    uncredited1: owed.amount1,
  };
}
