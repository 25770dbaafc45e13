import * as constants from "./constants.js";
import { mulDiv, mulDivRoundingUp } from "./fullMath.js";
import {
  getAmount0Delta,
  getAmount1Delta,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from "./sqrtPriceMath.js";

// Read once: under the TypeScript loaders used here (tsx) an imported binding is a getter, which the hot
// loops would otherwise call on every read.
const { FEE_DENOMINATOR } = constants;

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

/** computeSwapStep with the fee already a bigint, for the swap loop (which converts it once per pool). */
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
  if (exactIn) {
    const amountRemainingLessFee = mulDiv(amountRemaining, FEE_DENOMINATOR - fee, FEE_DENOMINATOR);
    const short =
      liquidity > 0n
        ? priceFromInputIfShort(
            sqrtRatioCurrentX96,
            sqrtRatioTargetX96,
            liquidity,
            amountRemainingLessFee,
            zeroForOne,
          )
        : null;
    if (short !== null) {
      sqrtRatioNextX96 = short;
    } else {
      amountIn = zeroForOne
        ? getAmount0Delta(sqrtRatioTargetX96, sqrtRatioCurrentX96, liquidity, true)
        : getAmount1Delta(sqrtRatioCurrentX96, sqrtRatioTargetX96, liquidity, true);
      sqrtRatioNextX96 =
        amountRemainingLessFee >= amountIn
          ? sqrtRatioTargetX96
          : getNextSqrtPriceFromInput(sqrtRatioCurrentX96, liquidity, amountRemainingLessFee, zeroForOne);
    }
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
      : mulDivRoundingUp(amountIn, fee, FEE_DENOMINATOR - fee);
  return { sqrtRatioNextX96, amountIn, amountOut, feeAmount };
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

const Q96_FLOAT = 2 ** 96;

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
