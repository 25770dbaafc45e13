import * as constants from "./constants.js";
import { mulDivRoundingUp } from "./fullMath.js";
import {
  getAmount0Delta,
  getAmount1Delta,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from "./sqrtPriceMath.js";

// Read once: under the TypeScript loaders used here (tsx) an imported binding is a getter, which the hot
// loops would otherwise call on every read.
const { FEE_DENOMINATOR, MAX_UINT160, MAX_UINT256, Q96 } = constants;
const Q96_FLOAT = 2 ** 96;

export interface SwapStepResult {
  sqrtRatioNextX96: bigint;
  amountIn: bigint;
  amountOut: bigint;
  feeAmount: bigint;
}

/**
 * SwapMath.computeSwapStep: one step of a swap inside a single liquidity range, from the current price toward
 * `sqrtRatioTargetX96`. `amountRemaining` > 0 is exact input left, < 0 exact output left; `feePips` is the
 * pool fee in hundredths of a basis point.
 */
export function computeSwapStep(
  sqrtRatioCurrentX96: bigint,
  sqrtRatioTargetX96: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  feePips: number,
): SwapStepResult {
  return swapStep(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, amountRemaining, BigInt(feePips));
}

/**
 * computeSwapStep with the fee already a bigint, for the swap loop (which converts it once per pool).
 */
export function swapStep(
  sqrtRatioCurrentX96: bigint,
  sqrtRatioTargetX96: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  fee: bigint,
): SwapStepResult {
  const zeroForOne = sqrtRatioCurrentX96 >= sqrtRatioTargetX96;
  const exactIn = amountRemaining >= 0n;
  let sqrtRatioNextX96: bigint;
  let amountIn = 0n;
  let amountOut = 0n;

  // Most steps end short of their target, and then the amount that would reach it is only computed to be
  // compared, which costs as much as the rest of the step. Exact input: the price the input leads to, if
  // strictly short of the target, proves the input falls short (that price rounds toward the start, the
  // amount to the target away from it), so the contract would take that very price. Exact output: a
  // double-precision estimate, used only when it settles the comparison by a wide margin.
  if (fee !== lastFee) {
    lastFee = fee;
    lastFeeComplement = FEE_DENOMINATOR - fee;
  }
  if (exactIn) {
    // mulDiv(amountRemaining, 1e6 - fee, 1e6): the quotient is at most amountRemaining (a uint256), so
    // neither of mulDiv's reverts can happen.
    const amountRemainingLessFee = (amountRemaining * lastFeeComplement) / FEE_DENOMINATOR;
    if (liquidity > 0n && sqrtRatioCurrentX96 > 0n) {
      const short = exactInputEndsShort(
        sqrtRatioCurrentX96,
        sqrtRatioTargetX96,
        liquidity,
        amountRemaining,
        amountRemainingLessFee,
        zeroForOne,
      );
      if (short !== null) return short;
    }
    amountIn = zeroForOne
      ? getAmount0Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, true)
      : getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, true);
    sqrtRatioNextX96 =
      amountRemainingLessFee >= amountIn
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromInput(sqrtRatioCurrentX96, liquidity, amountRemainingLessFee, zeroForOne);
  } else {
    const toTarget = outputSurelyShort(
      sqrtRatioCurrentX96,
      sqrtRatioTargetX96,
      liquidity,
      -amountRemaining,
      zeroForOne,
    )
      ? null
      : zeroForOne
        ? getAmount1Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, false)
        : getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, false);
    if (toTarget !== null) amountOut = toTarget;
    sqrtRatioNextX96 =
      toTarget !== null && -amountRemaining >= toTarget
        ? sqrtRatioTargetX96
        : getNextSqrtPriceFromOutput(sqrtRatioCurrentX96, liquidity, -amountRemaining, zeroForOne);
    // Rounding can land a short step exactly on the target; the contract then reuses the amount to it.
    if (toTarget === null && sqrtRatioNextX96 === sqrtRatioTargetX96) {
      amountOut = zeroForOne
        ? getAmount1Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, false)
        : getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, false);
    }
  }

  const max = sqrtRatioTargetX96 === sqrtRatioNextX96;
  if (zeroForOne) {
    if (!(max && exactIn)) amountIn = getAmount0Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, true);
    if (!(max && !exactIn))
      amountOut = getAmount1Delta(sqrtRatioNextX96, sqrtRatioCurrentX96, liquidity, false);
  } else {
    if (!(max && exactIn)) amountIn = getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, true);
    if (!(max && !exactIn))
      amountOut = getAmount0Delta(sqrtRatioCurrentX96, sqrtRatioNextX96, liquidity, false);
  }

  // Exact output: never pay out more than was asked for, whatever the rounding of the price gave.
  if (!exactIn && amountOut > -amountRemaining) amountOut = -amountRemaining;

  // Exact input that stopped short of the target: whatever input is left over is fee, to the last wei.
  const feeAmount =
    exactIn && sqrtRatioNextX96 !== sqrtRatioTargetX96
      ? amountRemaining - amountIn
      : lastFeeComplement > 0n
        ? // mulDivRoundingUp(amountIn, fee, 1e6 − fee) inline: below amountIn · 1e6, it cannot overflow.
          (amountIn * fee + lastFeeComplement - 1n) / lastFeeComplement
        : mulDivRoundingUp(amountIn, fee, lastFeeComplement);
  return { sqrtRatioNextX96, amountIn, amountOut, feeAmount };
}

// 1e6 - fee for the last fee seen: a pool swaps at one fee, and the subtraction would allocate every step.
let lastFee = -1n;
let lastFeeComplement = 0n;

/**
 * An exact-input step that may end short of its target. When the price the input leads to, `next`, is
 * strictly short of the target, returns the contract's step (the input to `next` rounded up, the output
 * down, the rest of the input as fee); otherwise null.
 *
 * The input to `next` is the whole input after fee, `amountLessFee` (a), whenever the rounding of `next`
 * cannot be worth a wei of input, which saves computing it (a division on wide numbers):
 * - token1 in: next = P + floor(a·2^96/L), so L·(next − P)/2^96 lies in (a − L/2^96, a]; for L <= 2^96 its
 *   ceiling is a.
 * - token0 in, where the contract takes its main branch next = ceil(L·2^96·P / (L·2^96 + a·P)): the exact
 *   price for a is p* = L·2^96·P/(L·2^96 + a·P) and next lies in [p*, p* + 1), so the token0 between P and
 *   next, L·2^96/next − L·2^96/P, lies in (a − L·2^96/(next·p*), a]. When next·(next − 1) > L·2^96 (then
 *   next·p* > L·2^96 too) its ceiling is a; next >= wholeInputFrom(L) guarantees that.
 */
function exactInputEndsShort(
  current: bigint,
  target: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  amountLessFee: bigint,
  zeroForOne: boolean,
): SwapStepResult | null {
  if (liquidity !== memoLiquidity) rememberLiquidity(liquidity);
  let next: bigint;
  let amountIn: bigint;
  let amountOut: bigint;
  if (zeroForOne) {
    // getNextSqrtPriceFromAmount0RoundingUp: the main branch when the denominator L·2^96 + a·P fits in
    // 256 bits (then so does a·P), the general function (the contract's overflow branch) otherwise.
    const product = amountLessFee * current;
    const denominator = memoNumerator1 + product;
    if (denominator <= MAX_UINT256) {
      // mulDivRoundingUp(L·2^96, P, denominator) as P − floor(a·P·P / denominator): L·2^96·P equals
      // P·denominator − a·P·P, and ceil(P − y) = P − floor(y). The fall in price is then at hand for the
      // token1 out, L·(P − next)/2^96 rounded down (getAmount1Delta(next, current, liquidity, false)).
      const fall = (product * current) / denominator;
      next = current - fall;
      if (next <= target) return null;
      if (memoWholeInputFrom === 0n) memoWholeInputFrom = wholeInputFrom(liquidity);
      amountIn = next >= memoWholeInputFrom ? amountLessFee : getAmount0Delta(next, current, liquidity, true);
      amountOut = (liquidity * fall) >> 96n;
    } else {
      const short = priceFromInputIfShort(current, target, liquidity, amountLessFee, true);
      if (short === null) return null;
      next = short;
      amountIn = getAmount0Delta(next, current, liquidity, true);
      amountOut = getAmount1Delta(next, current, liquidity, false);
    }
  } else {
    // getNextSqrtPriceFromAmount1RoundingDown: both of its branches compute this quotient; a price past
    // uint160 reverts there, so the contract's own order (the target first) must decide.
    const quotient = (amountLessFee << 96n) / liquidity;
    next = current + quotient;
    if (next >= target || next > MAX_UINT160) return null;
    amountIn = memoLiquidityUpToQ96 ? amountLessFee : getAmount1Delta(current, next, liquidity, true);
    amountOut = amount0DeltaDown(current, next, quotient, memoNumerator1, memoNumerator1Float);
  }
  return { sqrtRatioNextX96: next, amountIn, amountOut, feeAmount: amountRemaining - amountIn };
}

// What exactInputEndsShort needs of the liquidity, kept for the last liquidity seen: a swap's steps, and
// successive swaps, mostly run at one liquidity. L·2^96 exactly and as a double, whether L <= 2^96, and
// wholeInputFrom(L) (0n until first needed: a quote that crosses ticks changes the liquidity and may never
// need it).
let memoLiquidity = -1n;
let memoNumerator1 = 0n;
let memoNumerator1Float = 0;
let memoLiquidityUpToQ96 = false;
let memoWholeInputFrom = 0n;

function rememberLiquidity(liquidity: bigint): void {
  memoLiquidity = liquidity;
  memoNumerator1 = liquidity << 96n;
  memoNumerator1Float = Number(liquidity) * Q96_FLOAT;
  memoLiquidityUpToQ96 = liquidity <= Q96;
  memoWholeInputFrom = 0n;
}

/**
 * getAmount0Delta(current, next, L, false) given quotient = next − current and numerator1 = L·2^96 (also as
 * a double, Number(L)·2^96): floor(x) of x = L·2^96·quotient / (current·next), for 0 < current <= next.
 *
 * The exact division is the costliest part of a step, and the token0 paid out is usually far below 2^52,
 * so x is first estimated in doubles: the three conversions to double and the four rounded operations
 * (the scaling by 2^96 is exact) each err by a relative 2^-53 at most, so the estimate is within a relative
 * 8·2^-53 of x, to first order; the margin below allows 2^-47 = 64·2^-53. When no integer lies within that
 * margin of the estimate, x has the estimate's floor (the subtractions that test it are exact below 2^52);
 * otherwise, or for an estimate of 2^52 or more, the exact division decides.
 */
export function amount0DeltaDown(
  current: bigint,
  next: bigint,
  quotient: bigint,
  numerator1: bigint,
  numerator1Float: number,
): bigint {
  const p = Number(current);
  const q = Number(quotient);
  const estimate = (numerator1Float * q) / (p * (p + q));
  const floor = Math.floor(estimate);
  const margin = estimate * 2 ** -47;
  return estimate < 2 ** 52 && estimate - floor > margin && floor + 1 - estimate > margin
    ? BigInt(floor)
    : (numerator1 * quotient) / (current * next);
}

/**
 * A price T with T·(T − 1) > L·2^96: sqrt(L·2^96) in doubles, raised by 1e-9 (far more than their
 * rounding error), plus 2 (for the −1 and the ceiling); every price >= T has the property too.
 */
export function wholeInputFrom(liquidity: bigint): bigint {
  return BigInt(Math.ceil(Math.sqrt(Number(liquidity) * 2 ** 96) * (1 + 1e-9))) + 2n;
}

/**
 * The price an exact input leads to, when it stops strictly short of the target; null when it does not,
 * or when computing it would revert where the contract (reaching the target first) does not compute it.
 */
function priceFromInputIfShort(
  current: bigint,
  target: bigint,
  liquidity: bigint,
  amountIn: bigint,
  zeroForOne: boolean,
): bigint | null {
  let next: bigint;
  try {
    next = getNextSqrtPriceFromInput(current, liquidity, amountIn, zeroForOne);
  } catch {
    return null;
  }
  return (zeroForOne ? next > target : next < target) ? next : null;
}

/**
 * Whether the exact output asked for is certainly below what the liquidity yields up to the target: the
 * double-precision estimate of that yield is off by far less than a part in 1e12 (a few roundings of
 * 53-bit mantissas) and the contract's own rounding by a wei.
 */
function outputSurelyShort(
  current: bigint,
  target: bigint,
  liquidity: bigint,
  amountOut: bigint,
  zeroForOne: boolean,
): boolean {
  const l = Number(liquidity);
  // The difference is taken exactly, before rounding to a double: two close prices would cancel.
  const gap = Number(current > target ? current - target : target - current);
  // Going down the pool pays token1, L·|√a − √b|/2^96; going up token0, L·2^96·|√a − √b|/(√a·√b).
  const yieldToTarget = zeroForOne
    ? (l * gap) / Q96_FLOAT
    : (l * Q96_FLOAT * gap) / (Number(current) * Number(target));
  return Number(amountOut) < yieldToTarget * (1 - 1e-9) - 4;
}
