import { Q96 } from "./constants.js";
import type { SwapEvent } from "./poolEvent.js";
import { PoolSimulator, type SwapParameters } from "./poolSimulator.js";
import type { PoolState, TickState } from "./poolState.js";
import { applyPoolEvent, emptyReplayReport } from "./replayPoolEvents.js";
import { getSqrtRatioAtTick } from "./tickMath.js";

/** New liquidityNet per tick (0: initialised, only splitting swaps), or null to remove the tick. */
export type TickChange = Map<number, bigint | null>;

export interface GapCrossing {
  /** The pool just before the swap. */
  snapshot: PoolState;
  swap: SwapEvent;
}

/**
 * Neighbouring tick ranges in which no swap of the period ended, so no event reported their liquidity. Their
 * boundaries' nets add up to a known total; a swap that crosses them tells more.
 */
export interface TickGap {
  boundaries: number[];
  /** Liquidity just below the first boundary and just above the last, when the gap was first crossed. */
  below: bigint;
  above: bigint;
  crossings: GapCrossing[];
}

/** The simulator's state with ticks set (a liquidityNet; 0 for a tick that only splits swaps) or removed. */
export function withTicks(snapshot: PoolState, change: TickChange): PoolSimulator {
  const ticks = new Map(snapshot.ticks as Map<number, TickState>);
  for (const [t, net] of change) {
    if (net === null) {
      ticks.delete(t);
      continue;
    }
    const gross = net < 0n ? -net : net;
    ticks.set(t, {
      liquidityGross: gross > 0n ? gross : 1n,
      liquidityNet: net,
      feeGrowthOutside0X128: 0n,
      feeGrowthOutside1X128: 0n,
    });
  }
  return new PoolSimulator({ ...snapshot, ticks });
}

export function reproduces(sim: PoolSimulator, swap: SwapEvent): boolean {
  return applyPoolEvent(sim.clone(), swap, 0, emptyReplayReport()) === null;
}

function isDown(crossing: GapCrossing): boolean {
  const { swap, snapshot } = crossing;
  return swap.sqrtPriceX96 !== snapshot.sqrtPriceX96
    ? swap.sqrtPriceX96 < snapshot.sqrtPriceX96
    : swap.amount0 > 0n;
}

interface Reading {
  parameters: SwapParameters;
  /** The amount the pool calculates in this reading (what the trader did not fix). */
  calculated: (amounts: { amount0: bigint; amount1: bigint }) => bigint;
  /** Whether the fixed amount is in token0. */
  fixedToken0: boolean;
}

function readingsOf(crossing: GapCrossing): Reading[] {
  const { swap } = crossing;
  const down = isDown(crossing);
  const amountIn = down ? swap.amount0 : swap.amount1;
  const amountOut = -(down ? swap.amount1 : swap.amount0);
  const input = (q: { amount0: bigint; amount1: bigint }) => (down ? q.amount0 : q.amount1);
  const readings: Reading[] = [];
  if (amountIn > 0n) {
    readings.push({
      parameters: { zeroForOne: down, amountSpecified: amountIn },
      calculated: (q) => -(down ? q.amount1 : q.amount0),
      fixedToken0: down,
    });
  }
  if (amountOut > 0n) {
    readings.push({
      parameters: { zeroForOne: down, amountSpecified: -amountOut },
      calculated: input,
      fixedToken0: !down,
    });
  }
  // Stopped by a price limit: any amount large enough ends there, and the input grows with liquidity.
  readings.push({
    parameters: { zeroForOne: down, amountSpecified: 1n << 200n, sqrtPriceLimitX96: swap.sqrtPriceX96 },
    calculated: input,
    fixedToken0: down,
  });
  return readings;
}

type Key = readonly bigint[];

function compareKeys(a: Key, b: Key): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/**
 * For a key that moves monotonically with x in [0, max]: the least x whose key is at or past the target
 * (`strict` false) or past it (`strict` true), in the key's direction; null when the key does not move.
 */
function bound(key: (x: bigint) => Key | null, target: Key, max: bigint, strict: boolean): bigint | null {
  const atLo = key(0n);
  const atHi = key(max);
  if (atLo === null || atHi === null || compareKeys(atLo, atHi) === 0) return null;
  const sign = compareKeys(atLo, atHi) < 0 ? 1 : -1;
  const past = (k: Key) => (strict ? compareKeys(k, target) * sign > 0 : compareKeys(k, target) * sign >= 0);
  let [lo, hi] = [0n, max];
  if (past(atLo)) return 0n;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    const at = key(mid);
    if (at === null) return null;
    if (past(at)) hi = mid;
    else lo = mid;
  }
  return hi;
}

const MAX_LEVEL = 1n << 120n;

/**
 * Liquidity for a gap's unreported ranges (one or two) that reproduces every swap that crossed it, each from
 * the state just before it. One range: its liquidity moves each swap's outcome monotonically, so each
 * reading is bisected and the result checked against all crossings. Two ranges: first the profiles with a
 * net on only two boundaries (one position's ends), as one range; then both levels, see solveTwoLevels.
 */
export function solveTickGap(gap: TickGap): TickChange | null {
  const { boundaries, below, above } = gap;
  if (boundaries.length < 2 || boundaries.length > 3) return null;
  const last = gap.crossings.at(-1)!;
  const fits = (change: TickChange) =>
    gap.crossings.every((c) => reproduces(withTicks(c.snapshot, change), c.swap));

  const shapes: ((level: bigint) => bigint[])[] =
    boundaries.length === 2 ? [(l) => [l]] : [(l) => [below, l], (l) => [l, l], (l) => [l, above]];
  for (const shape of shapes) {
    const change = (level: bigint) => changeOf(boundaries, [below, ...shape(level), above]);
    for (const reading of readingsOf(last)) {
      const key = (level: bigint): Key | null => outcome(last, change(level), reading);
      const target = [last.swap.sqrtPriceX96, reading.calculated(last.swap)];
      const at = bound(key, target, MAX_LEVEL, false);
      for (let level = (at ?? 0n) - 4n; at !== null && level <= at + 4n; level++) {
        if (level >= 0n && fits(change(level))) return change(level);
      }
    }
  }
  return boundaries.length === 3 ? solveTwoLevels(gap, fits) : null;
}

function changeOf(boundaries: readonly number[], levels: readonly bigint[]): TickChange {
  return new Map(
    boundaries.map((t, i) => {
      const net = levels[i + 1]! - levels[i]!;
      return [t, net === 0n ? null : net] as const;
    }),
  );
}

function outcome(crossing: GapCrossing, change: TickChange, reading: Reading): Key | null {
  try {
    const quote = withTicks(crossing.snapshot, change).quoteSwap(reading.parameters);
    return [quote.sqrtPriceX96, reading.calculated(quote)];
  } catch {
    return null;
  }
}

/**
 * Two unreported ranges, levels x and y. Through a range, a unit of liquidity moves one token by many wei
 * (the "fine" token) and the other by a tiny fraction of one (the "coarse" token). Every crossing's fine
 * amounts depend on x and y only through floor(x·c1) + floor(y·c2) (c the fine token's amount per unit of
 * liquidity over each range): one integer K, found from a first exact solution and shared by all crossings.
 * With y derived from x and K, each crossing's coarse amount moves monotonically with x: bisection gives the
 * window of x in which it comes out exactly; within the windows' intersection the candidates are checked.
 */
function solveTwoLevels(gap: TickGap, fits: (change: TickChange) => boolean): TickChange | null {
  const { boundaries, below, above } = gap;
  const [a, m, b] = boundaries.map(getSqrtRatioAtTick) as [bigint, bigint, bigint];
  const token0Fine = a * m < Q96 * Q96;
  const fineOf = (lower: bigint, upper: bigint) => (level: bigint) =>
    token0Fine ? (level * Q96 * (upper - lower)) / upper / lower : (level * (upper - lower)) / Q96;
  const fine1 = fineOf(a, m);
  const fine2 = fineOf(m, b);
  // Smallest y whose fine amount reaches `target`, when it reaches it exactly.
  const yFor = (target: bigint): bigint | null => {
    if (target < 0n) return null;
    let [lo, hi] = [0n, MAX_LEVEL];
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      if (fine2(mid) >= target) hi = mid;
      else lo = mid + 1n;
    }
    return fine2(lo) === target ? lo : null;
  };
  const changeAt = (x: bigint, y: bigint) => changeOf(boundaries, [below, x, y, above]);

  // A first exact solution for the first crossing fixes K.
  const first = gap.crossings[0]!;
  let k: bigint | null = null;
  for (const reading of readingsOf(first)) {
    const target = [first.swap.sqrtPriceX96, reading.calculated(first.swap)];
    const ySolve = (x: bigint) =>
      bound((y) => outcome(first, changeAt(x, y), reading), target, MAX_LEVEL, false);
    const xs = bound(
      (x) => {
        const y = ySolve(x);
        const at = y === null ? null : outcome(first, changeAt(x, y), reading);
        return at === null ? null : [at[1]!];
      },
      [target[1]!],
      feasibleX(first, reading, changeAt, target),
      false,
    );
    const y = xs === null ? null : ySolve(xs);
    if (xs === null || y === null) continue;
    // Along the end-price curve, walk until the rounding lands the first crossing exactly.
    const y1 = ySolve(xs + 4096n);
    for (let dx = 0n; y1 !== null && k === null && dx <= 4096n; dx++) {
      for (const x of dx === 0n ? [xs] : [xs + dx, xs - dx]) {
        const yGuess = y - ((x - xs) * (y - y1)) / 4096n;
        for (let dy = -2n; x >= 0n && dy <= 2n; dy++) {
          if (
            yGuess + dy >= 0n &&
            reproduces(withTicks(first.snapshot, changeAt(x, yGuess + dy)), first.swap)
          ) {
            k = fine1(x) + fine2(yGuess + dy);
            if (gap.crossings.length === 1) return changeAt(x, yGuess + dy);
            break;
          }
        }
        if (k !== null) break;
      }
    }
    if (k !== null) break;
  }
  if (k === null) return null;

  // The nearest x at or above `x` whose partner y keeps the fine sum at K.
  const K = k;
  const compatible = (x: bigint): [bigint, bigint] | null => {
    for (let dx = 0n; dx < 64n; dx++) {
      const y = yFor(K - fine1(x + dx));
      if (y !== null) return [x + dx, y];
    }
    return null;
  };
  let [lo, hi] = [0n, MAX_LEVEL];
  for (const crossing of gap.crossings) {
    let window: [bigint, bigint] | null = null;
    for (const reading of readingsOf(crossing)) {
      // The coarse one of the end price and the calculated amount moves with x in steps of many units.
      const coarse = reading.fixedToken0 === token0Fine ? 1 : 0;
      const key = (x: bigint): Key | null => {
        const point = compatible(x);
        const at = point === null ? null : outcome(crossing, changeAt(...point), reading);
        return at === null ? null : [at[coarse]!];
      };
      const target = [coarse === 0 ? crossing.swap.sqrtPriceX96 : reading.calculated(crossing.swap)];
      const from = bound(key, target, MAX_LEVEL, false);
      const to = bound(key, target, MAX_LEVEL, true);
      if (from !== null && to !== null && from < to) {
        window = [from, to];
        break;
      }
    }
    if (window === null) return null;
    [lo, hi] = [lo > window[0] ? lo : window[0], hi < window[1] ? hi : window[1]];
  }
  if (lo >= hi) return null;
  const middle = (lo + hi) / 2n;
  for (let step = 0n; step < 20_000n; step += 8n) {
    for (const x of [middle + step, middle - step]) {
      if (x < lo || x >= hi) continue;
      const point = compatible(x);
      if (point !== null && fits(changeAt(...point))) return changeAt(...point);
    }
  }
  return null;
}

/** The largest x at which the first crossing still reaches the second range (past it x alone decides). */
function feasibleX(
  crossing: GapCrossing,
  reading: Reading,
  changeAt: (x: bigint, y: bigint) => TickChange,
  target: Key,
): bigint {
  const solvable = (x: bigint) =>
    bound((y) => outcome(crossing, changeAt(x, y), reading), target, MAX_LEVEL, false) !== null;
  let [ok, bad] = [0n, MAX_LEVEL + 1n];
  while (bad - ok > 1n) {
    const mid = (ok + bad) / 2n;
    if (solvable(mid)) ok = mid;
    else bad = mid;
  }
  return ok;
}
