import * as constants from "./constants.js";
import { mulDiv } from "./fullMath.js";

// Read once: under the TypeScript loaders used here (tsx) an imported binding is a getter.
const { MAX_UINT256, Q128 } = constants;

export interface FeeGrowthOutside {
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
}

export interface FeeGrowthInside {
  feeGrowthInside0X128: bigint;
  feeGrowthInside1X128: bigint;
}

/**
 * Tick.getFeeGrowthInside: fees per unit of liquidity earned inside [tickLower, tickUpper) since the ticks
 * were initialised, in uint256 arithmetic that wraps as the contract's does. A tick that is not initialised
 * has zero fee growth outside.
 */
export function getFeeGrowthInside(
  lower: FeeGrowthOutside | null,
  upper: FeeGrowthOutside | null,
  tickLower: number,
  tickUpper: number,
  tickCurrent: number,
  feeGrowthGlobal0X128: bigint,
  feeGrowthGlobal1X128: bigint,
): FeeGrowthInside {
  const lower0 = lower?.feeGrowthOutside0X128 ?? 0n;
  const lower1 = lower?.feeGrowthOutside1X128 ?? 0n;
  const upper0 = upper?.feeGrowthOutside0X128 ?? 0n;
  const upper1 = upper?.feeGrowthOutside1X128 ?? 0n;
  const below0 = tickCurrent >= tickLower ? lower0 : feeGrowthGlobal0X128 - lower0;
  const below1 = tickCurrent >= tickLower ? lower1 : feeGrowthGlobal1X128 - lower1;
  const above0 = tickCurrent < tickUpper ? upper0 : feeGrowthGlobal0X128 - upper0;
  const above1 = tickCurrent < tickUpper ? upper1 : feeGrowthGlobal1X128 - upper1;
  return {
    feeGrowthInside0X128: (feeGrowthGlobal0X128 - below0 - above0) & MAX_UINT256,
    feeGrowthInside1X128: (feeGrowthGlobal1X128 - below1 - above1) & MAX_UINT256,
  };
}

/**
 * Position.update's fee accrual: what `liquidity` earned since the position last recorded fee growth
 * inside, truncated to uint128 without a check as the contract does.
 */
export function getTokensOwed(
  liquidity: bigint,
  feeGrowthInside0LastX128: bigint,
  feeGrowthInside1LastX128: bigint,
  inside: FeeGrowthInside,
): { amount0: bigint; amount1: bigint } {
  return {
    amount0: BigInt.asUintN(
      128,
      mulDiv((inside.feeGrowthInside0X128 - feeGrowthInside0LastX128) & MAX_UINT256, liquidity, Q128),
    ),
    amount1: BigInt.asUintN(
      128,
      mulDiv((inside.feeGrowthInside1X128 - feeGrowthInside1LastX128) & MAX_UINT256, liquidity, Q128),
    ),
  };
}
