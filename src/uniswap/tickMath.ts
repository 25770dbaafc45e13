import * as constants from "./constants.js";
import { PoolRevertError } from "./errors.js";

// Read once: under the TypeScript loaders used here (tsx) an imported binding is a getter, which the hot
// loops would otherwise call on every read.
const { MAX_SQRT_RATIO, MAX_TICK, MAX_UINT256, MIN_SQRT_RATIO, MIN_TICK } = constants;

/** TickMath.getSqrtRatioAtTick: sqrt(1.0001^tick) as Q64.96, rounded up, bit for bit as the contract computes it. */
export function computeSqrtRatioAtTick(tick: number): bigint {
  if (!Number.isInteger(tick) || tick < MIN_TICK || tick > MAX_TICK) {
    throw new PoolRevertError("T", `tick must be an integer in [${MIN_TICK}, ${MAX_TICK}], got ${tick}`);
  }
  const absTick = tick < 0 ? -tick : tick;
  let ratio =
    (absTick & 0x1) !== 0 ? 0xfffcb933bd6fad37aa2d162d1a594001n : 0x100000000000000000000000000000000n;
  if ((absTick & 0x2) !== 0) ratio = (ratio * 0xfff97272373d413259a46990580e213an) >> 128n;
  if ((absTick & 0x4) !== 0) ratio = (ratio * 0xfff2e50f5f656932ef12357cf3c7fdccn) >> 128n;
  if ((absTick & 0x8) !== 0) ratio = (ratio * 0xffe5caca7e10e4e61c3624eaa0941cd0n) >> 128n;
  if ((absTick & 0x10) !== 0) ratio = (ratio * 0xffcb9843d60f6159c9db58835c926644n) >> 128n;
  if ((absTick & 0x20) !== 0) ratio = (ratio * 0xff973b41fa98c081472e6896dfb254c0n) >> 128n;
  if ((absTick & 0x40) !== 0) ratio = (ratio * 0xff2ea16466c96a3843ec78b326b52861n) >> 128n;
  if ((absTick & 0x80) !== 0) ratio = (ratio * 0xfe5dee046a99a2a811c461f1969c3053n) >> 128n;
  if ((absTick & 0x100) !== 0) ratio = (ratio * 0xfcbe86c7900a88aedcffc83b479aa3a4n) >> 128n;
  if ((absTick & 0x200) !== 0) ratio = (ratio * 0xf987a7253ac413176f2b074cf7815e54n) >> 128n;
  if ((absTick & 0x400) !== 0) ratio = (ratio * 0xf3392b0822b70005940c7a398e4b70f3n) >> 128n;
  if ((absTick & 0x800) !== 0) ratio = (ratio * 0xe7159475a2c29b7443b29c7fa6e889d9n) >> 128n;
  if ((absTick & 0x1000) !== 0) ratio = (ratio * 0xd097f3bdfd2022b8845ad8f792aa5825n) >> 128n;
  if ((absTick & 0x2000) !== 0) ratio = (ratio * 0xa9f746462d870fdf8a65dc1f90e061e5n) >> 128n;
  if ((absTick & 0x4000) !== 0) ratio = (ratio * 0x70d869a156d2a1b890bb3df62baf32f7n) >> 128n;
  if ((absTick & 0x8000) !== 0) ratio = (ratio * 0x31be135f97d08fd981231505542fcfa6n) >> 128n;
  if ((absTick & 0x10000) !== 0) ratio = (ratio * 0x9aa508b5b7a84e1c677de54f3e99bc9n) >> 128n;
  if ((absTick & 0x20000) !== 0) ratio = (ratio * 0x5d6af8dedb81196699c329225ee604n) >> 128n;
  if ((absTick & 0x40000) !== 0) ratio = (ratio * 0x2216e584f5fa1ea926041bedfe98n) >> 128n;
  if ((absTick & 0x80000) !== 0) ratio = (ratio * 0x48a170391f7dc42444e8fa2n) >> 128n;
  if (tick > 0) ratio = MAX_UINT256 / ratio;
  // Q128.128 to Q64.96, rounding up so that getTickAtSqrtRatio(getSqrtRatioAtTick(t)) == t.
  return (ratio >> 32n) + ((ratio & 0xffffffffn) === 0n ? 0n : 1n);
}

// The swap loop asks for the same few ticks near the price again and again. A direct-mapped cache (slot =
// tick mod 4096, the tick stored beside its ratio) answers with an array read and one comparison, several
// times cheaper than a Map lookup, and its size is fixed (a colliding tick simply takes the slot over).
const CACHE_SLOTS = 4096;
// Empty slots hold a tick that belongs to another slot (slot i holds i + 1), which no lookup can match.
const cachedTicks = Int32Array.from({ length: CACHE_SLOTS }, (_, slot) => slot + 1);
const cachedRatios: bigint[] = new Array<bigint>(CACHE_SLOTS).fill(0n);

/** getSqrtRatioAtTick through a small cache: the same exact value, computed once per tick it holds. */
export function getSqrtRatioAtTick(tick: number): bigint {
  const slot = tick & (CACHE_SLOTS - 1);
  if (cachedTicks[slot] === tick) return cachedRatios[slot]!;
  const ratio = computeSqrtRatioAtTick(tick);
  cachedTicks[slot] = tick;
  cachedRatios[slot] = ratio;
  return ratio;
}

const LOG_SQRT_1_0001 = Math.log(1.0001) / 2;
const LOG_Q96 = 96 * Math.LN2;

/**
 * TickMath.getTickAtSqrtRatio: the greatest tick whose sqrt ratio is <= sqrtPriceX96. The contract takes a
 * 14-step binary logarithm; here a double-precision logarithm lands within one tick of the answer and exact
 * comparisons with getSqrtRatioAtTick settle it, which gives the same tick by that definition, far faster.
 * `near`, a tick the answer is likely at or just below (a swap's previous tick), is checked first.
 */
export function getTickAtSqrtRatio(sqrtPriceX96: bigint, near?: number): number {
  if (sqrtPriceX96 < MIN_SQRT_RATIO || sqrtPriceX96 >= MAX_SQRT_RATIO) {
    throw new PoolRevertError(
      "R",
      `sqrtPriceX96 must lie in [${MIN_SQRT_RATIO}, ${MAX_SQRT_RATIO}), got ${sqrtPriceX96}`,
    );
  }
  return tickAtSqrtRatioInRange(sqrtPriceX96, near);
}

/**
 * getTickAtSqrtRatio for a price already known to lie in [MIN_SQRT_RATIO, MAX_SQRT_RATIO) (a swap's price
 * between its start and its limit), without checking it again.
 */
export function tickAtSqrtRatioInRange(sqrtPriceX96: bigint, near?: number): number {
  // A swap step usually leaves the price within a tick of where it was: try there before the logarithm.
  if (near !== undefined && near > MIN_TICK && near < MAX_TICK - 2) {
    if (getSqrtRatioAtTick(near) <= sqrtPriceX96) {
      if (getSqrtRatioAtTick(near + 1) > sqrtPriceX96) return near;
      if (getSqrtRatioAtTick(near + 2) > sqrtPriceX96) return near + 1;
    } else if (getSqrtRatioAtTick(near - 1) <= sqrtPriceX96) return near - 1;
  }
  let tick = Math.floor((Math.log(Number(sqrtPriceX96)) - LOG_Q96) / LOG_SQRT_1_0001);
  if (tick < MIN_TICK) tick = MIN_TICK;
  else if (tick > MAX_TICK - 1) tick = MAX_TICK - 1;
  while (tick > MIN_TICK && getSqrtRatioAtTick(tick) > sqrtPriceX96) tick--;
  while (tick < MAX_TICK - 1 && getSqrtRatioAtTick(tick + 1) <= sqrtPriceX96) tick++;
  return tick;
}
