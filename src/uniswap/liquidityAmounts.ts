import { MAX_UINT128, Q96 } from "./constants.js";
import { PoolRevertError } from "./errors.js";
import { mulDiv } from "./fullMath.js";

/**
 * LiquidityAmounts of v3-periphery: the liquidity a deposit of token amounts buys, and the token amounts a
 * liquidity is worth (rounded down, as a burn pays them). Prices are Q64.96 square roots; the range's bounds
 * may be given in either order.
 */

function toUint128(value: bigint): bigint {
  if (value > MAX_UINT128)
    throw new PoolRevertError("overflow", `liquidity ${value} does not fit in uint128`);
  return value;
}

function ordered(a: bigint, b: bigint): [bigint, bigint] {
  return a > b ? [b, a] : [a, b];
}

export function getLiquidityForAmount0(
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  amount0: bigint,
): bigint {
  const [a, b] = ordered(sqrtRatioAX96, sqrtRatioBX96);
  return toUint128(mulDiv(amount0, mulDiv(a, b, Q96), b - a));
}

export function getLiquidityForAmount1(
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  amount1: bigint,
): bigint {
  const [a, b] = ordered(sqrtRatioAX96, sqrtRatioBX96);
  return toUint128(mulDiv(amount1, Q96, b - a));
}

/** The most liquidity that `amount0` and `amount1` can fund in the range at the current price. */
export function getLiquidityForAmounts(
  sqrtRatioX96: bigint,
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  amount0: bigint,
  amount1: bigint,
): bigint {
  const [a, b] = ordered(sqrtRatioAX96, sqrtRatioBX96);
  if (sqrtRatioX96 <= a) return getLiquidityForAmount0(a, b, amount0);
  if (sqrtRatioX96 < b) {
    const liquidity0 = getLiquidityForAmount0(sqrtRatioX96, b, amount0);
    const liquidity1 = getLiquidityForAmount1(a, sqrtRatioX96, amount1);
    return liquidity0 < liquidity1 ? liquidity0 : liquidity1;
  }
  return getLiquidityForAmount1(a, b, amount1);
}

export function getAmount0ForLiquidity(
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  liquidity: bigint,
): bigint {
  const [a, b] = ordered(sqrtRatioAX96, sqrtRatioBX96);
  return mulDiv(liquidity << 96n, b - a, b) / a;
}

export function getAmount1ForLiquidity(
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  liquidity: bigint,
): bigint {
  const [a, b] = ordered(sqrtRatioAX96, sqrtRatioBX96);
  return mulDiv(liquidity, b - a, Q96);
}

export interface TokenAmounts {
  amount0: bigint;
  amount1: bigint;
}

/** The token amounts `liquidity` holds in the range at the current price (what burning it would return). */
export function getAmountsForLiquidity(
  sqrtRatioX96: bigint,
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  liquidity: bigint,
): TokenAmounts {
  const [a, b] = ordered(sqrtRatioAX96, sqrtRatioBX96);
  if (sqrtRatioX96 <= a) return { amount0: getAmount0ForLiquidity(a, b, liquidity), amount1: 0n };
  if (sqrtRatioX96 < b) {
    return {
      amount0: getAmount0ForLiquidity(sqrtRatioX96, b, liquidity),
      amount1: getAmount1ForLiquidity(a, sqrtRatioX96, liquidity),
    };
  }
  return { amount0: 0n, amount1: getAmount1ForLiquidity(a, b, liquidity) };
}
