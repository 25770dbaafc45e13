import * as constants from "./constants.js";
import { PoolRevertError } from "./errors.js";
import { divRoundingUp, mulDiv, mulDivRoundingUp } from "./fullMath.js";

// Read once: under the TypeScript loaders used here (tsx) an imported binding is a getter, which the hot
// loops would otherwise call on every read.
const { MAX_INT256, MAX_UINT160, MAX_UINT256, Q96 } = constants;
const Q96_MINUS_1 = Q96 - 1n;

/**
 * SqrtPriceMath of v3-core 1.0.1 on bigint, including the branches the contract takes when an intermediate
 * product would overflow 256 bits: those round differently, and the simulator must round as the pool does.
 */

function toUint160(value: bigint): bigint {
  if (value > MAX_UINT160) throw new PoolRevertError("overflow", `${value} does not fit in uint160`);
  return value;
}

/** The price after adding (or removing) `amount` of token0 at constant liquidity, rounded up. */
export function getNextSqrtPriceFromAmount0RoundingUp(
  sqrtPX96: bigint,
  liquidity: bigint,
  amount: bigint,
  add: boolean,
): bigint {
  if (amount === 0n) return sqrtPX96;
  const numerator1 = liquidity << 96n;
  const product = amount * sqrtPX96;
  if (add) {
    if (product <= MAX_UINT256) {
      const denominator = numerator1 + product;
      if (denominator <= MAX_UINT256) return mulDivRoundingUp(numerator1, sqrtPX96, denominator);
    }
    // The contract's fallback when amount * price overflows: 1 / (1/price + amount/L), rounded up.
    const sum = numerator1 / sqrtPX96 + amount;
    if (sum > MAX_UINT256) throw new PoolRevertError("overflow", "numerator1 / sqrtPX96 + amount overflows");
    return divRoundingUp(numerator1, sum) & MAX_UINT160;
  }
  if (product > MAX_UINT256 || numerator1 <= product) {
    throw new PoolRevertError("overflow", `removing ${amount} of token0 exceeds the liquidity's reserves`);
  }
  return toUint160(mulDivRoundingUp(numerator1, sqrtPX96, numerator1 - product));
}

/** The price after adding (or removing) `amount` of token1 at constant liquidity, rounded down. */
export function getNextSqrtPriceFromAmount1RoundingDown(
  sqrtPX96: bigint,
  liquidity: bigint,
  amount: bigint,
  add: boolean,
): bigint {
  if (add) {
    const quotient = amount <= MAX_UINT160 ? (amount << 96n) / liquidity : mulDiv(amount, Q96, liquidity);
    const next = sqrtPX96 + quotient;
    if (next > MAX_UINT256) throw new PoolRevertError("overflow", "sqrtPX96 + quotient overflows");
    return toUint160(next);
  }
  const quotient =
    amount <= MAX_UINT160
      ? divRoundingUp(amount << 96n, liquidity)
      : mulDivRoundingUp(amount, Q96, liquidity);
  if (sqrtPX96 <= quotient) {
    throw new PoolRevertError("overflow", `removing ${amount} of token1 exceeds the liquidity's reserves`);
  }
  return sqrtPX96 - quotient;
}

export function getNextSqrtPriceFromInput(
  sqrtPX96: bigint,
  liquidity: bigint,
  amountIn: bigint,
  zeroForOne: boolean,
): bigint {
  if (sqrtPX96 <= 0n) throw new PoolRevertError("zero price", "sqrtPX96 must be positive");
  if (liquidity <= 0n) throw new PoolRevertError("zero liquidity", "liquidity must be positive");
  return zeroForOne
    ? getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountIn, true)
    : getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountIn, true);
}

export function getNextSqrtPriceFromOutput(
  sqrtPX96: bigint,
  liquidity: bigint,
  amountOut: bigint,
  zeroForOne: boolean,
): bigint {
  if (sqrtPX96 <= 0n) throw new PoolRevertError("zero price", "sqrtPX96 must be positive");
  if (liquidity <= 0n) throw new PoolRevertError("zero liquidity", "liquidity must be positive");
  return zeroForOne
    ? getNextSqrtPriceFromAmount1RoundingDown(sqrtPX96, liquidity, amountOut, false)
    : getNextSqrtPriceFromAmount0RoundingUp(sqrtPX96, liquidity, amountOut, false);
}

/**
 * Token0 between two prices for `liquidity`: L·(√B − √A)/(√A·√B), in raw units. The contract divides by √B
 * (rounding) and then by √A (rounding the same way); for positive integers ⌈⌈x/b⌉/a⌉ = ⌈x/(ab)⌉ and
 * ⌊⌊x/b⌋/a⌋ = ⌊x/(ab)⌋, so one division by √A·√B gives the same result, and its intermediate
 * (at most L·2^96) can never overflow 256 bits there.
 */
export function getAmount0Delta(
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  liquidity: bigint,
  roundUp: boolean,
): bigint {
  if (sqrtRatioAX96 > sqrtRatioBX96) [sqrtRatioAX96, sqrtRatioBX96] = [sqrtRatioBX96, sqrtRatioAX96];
  if (sqrtRatioAX96 <= 0n) throw new PoolRevertError("zero price", "sqrtRatioAX96 must be positive");
  const numerator = (liquidity << 96n) * (sqrtRatioBX96 - sqrtRatioAX96);
  const denominator = sqrtRatioAX96 * sqrtRatioBX96;
  const quotient = numerator / denominator;
  return roundUp && quotient * denominator !== numerator ? quotient + 1n : quotient;
}

/** Token1 between two prices for `liquidity`: L·(√B − √A), in raw units. */
export function getAmount1Delta(
  sqrtRatioAX96: bigint,
  sqrtRatioBX96: bigint,
  liquidity: bigint,
  roundUp: boolean,
): bigint {
  const product =
    sqrtRatioAX96 > sqrtRatioBX96
      ? liquidity * (sqrtRatioAX96 - sqrtRatioBX96)
      : liquidity * (sqrtRatioBX96 - sqrtRatioAX96);
  // mulDiv by Q96 as a shift: the same floor (ceiling) for these non-negative values, and it cannot overflow
  // (a uint128 times a uint160 is under 2^288).
  return roundUp ? (product + Q96_MINUS_1) >> 96n : product >> 96n;
}

function toInt256(value: bigint): bigint {
  if (value > MAX_INT256) throw new PoolRevertError("overflow", `${value} does not fit in int256`);
  return value;
}

/**
 * The signed token0 delta of a liquidity change, as the pool books a mint (positive, rounded up: the
 * pool is paid at least enough) or a burn (negative, rounded down: it pays out at most what it holds).
 */
export function getAmount0DeltaSigned(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidityDelta: bigint) {
  return liquidityDelta < 0n
    ? -toInt256(getAmount0Delta(sqrtRatioAX96, sqrtRatioBX96, -liquidityDelta, false))
    : toInt256(getAmount0Delta(sqrtRatioAX96, sqrtRatioBX96, liquidityDelta, true));
}

/** The signed token1 delta of a liquidity change; see getAmount0DeltaSigned. */
export function getAmount1DeltaSigned(sqrtRatioAX96: bigint, sqrtRatioBX96: bigint, liquidityDelta: bigint) {
  return liquidityDelta < 0n
    ? -toInt256(getAmount1Delta(sqrtRatioAX96, sqrtRatioBX96, -liquidityDelta, false))
    : toInt256(getAmount1Delta(sqrtRatioAX96, sqrtRatioBX96, liquidityDelta, true));
}
