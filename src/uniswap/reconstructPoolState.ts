import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from "./constants.js";
import type { PoolEvent, SwapEvent } from "./poolEvent.js";
import { PoolSimulator } from "./poolSimulator.js";
import type { PoolState, TickState } from "./poolState.js";
import { applyPoolEvent, emptyReplayReport, type ReplayReport } from "./replayPoolEvents.js";
import { reproduces, solveTickGap, withTicks, type TickChange, type TickGap } from "./solveTickGap.js";
import { getTickAtSqrtRatio } from "./tickMath.js";

export interface ReconstructPoolStateParameters {
  /** Every Swap, Mint, Burn (and Collect, Flash) of the pool over a period, in chain order; the first a Swap. */
  events: readonly PoolEvent[];
  fee: number;
  tickSpacing: number;
}

export interface ReconstructedPoolState {
  /** The pool just before the first event, as far as the events reveal it (see reconstructPoolState). */
  state: PoolState;
  /** Initialised ticks whose liquidityNet follows from the active liquidity the swaps reported. */
  ticksFromLiquidity: number;
  /** Ticks placed, moved or removed because only then did a swap's amounts come out exactly. */
  ticksFromAmounts: number;
  /** The replay that checked the reconstruction (it reproduced every event, or the function threw). */
  report: ReplayReport;
}

export class PoolReconstructionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PoolReconstructionError";
  }
}

function bucketOf(tick: number, tickSpacing: number): number {
  return Math.floor(tick / tickSpacing);
}

/** Net liquidity that the period's own mints and burns add at each tick, as a running prefix sum. */
class KnownLiquidity {
  private readonly net = new Map<number, bigint>();
  private sorted: number[] = [];

  add(tickLower: number, tickUpper: number, delta: bigint): void {
    for (const [tick, d] of [
      [tickLower, delta],
      [tickUpper, -delta],
    ] as const) {
      if (!this.net.has(tick)) this.sorted = [...this.sorted, tick].sort((a, b) => a - b);
      this.net.set(tick, (this.net.get(tick) ?? 0n) + d);
    }
  }

  /** Liquidity the period's events added to the range [tick, tick + spacing). */
  at(tick: number): bigint {
    let sum = 0n;
    for (const t of this.sorted) {
      if (t > tick) break;
      sum += this.net.get(t)!;
    }
    return sum;
  }
}

/**
 * The price before `swap` with liquidity `liquidity` and no initialised tick in its way: the start from which
 * one of its readings (exact input or output) ends exactly where the event says. The end price rises with the
 * start price for a given amount, so a binary search finds the lowest start that reaches the event's price;
 * the rounding of the contract leaves a few starts that do, and each is checked in full.
 */
function priceBeforeSwap(swap: SwapEvent, fee: number, tickSpacing: number): bigint {
  const zeroForOne = swap.amount0 > 0n;
  const amounts = zeroForOne ? [swap.amount0, swap.amount1] : [swap.amount1, swap.amount0];
  const readings = [amounts[0]!, amounts[1]!].filter((a) => a !== 0n);
  for (const amountSpecified of readings) {
    const endFrom = (start: bigint) => {
      const sim = new PoolSimulator({
        fee,
        tickSpacing,
        sqrtPriceX96: start,
        tick: getTickAtSqrtRatio(start),
        liquidity: swap.liquidity,
        feeGrowthGlobal0X128: 0n,
        feeGrowthGlobal1X128: 0n,
        ticks: new Map(),
      });
      try {
        return sim.quoteSwap({ zeroForOne, amountSpecified });
      } catch {
        return null;
      }
    };
    let lo = zeroForOne ? swap.sqrtPriceX96 : (swap.sqrtPriceX96 * 9n) / 10n;
    let hi = zeroForOne ? (swap.sqrtPriceX96 * 11n) / 10n : swap.sqrtPriceX96;
    if (lo < MIN_SQRT_RATIO) lo = MIN_SQRT_RATIO;
    if (hi >= MAX_SQRT_RATIO) hi = MAX_SQRT_RATIO - 1n;
    while (lo < hi) {
      const mid = (lo + hi) / 2n;
      const end = endFrom(mid);
      if (end !== null && end.sqrtPriceX96 >= swap.sqrtPriceX96) hi = mid;
      else lo = mid + 1n;
    }
    for (let start = lo; start < lo + 64n; start++) {
      const end = endFrom(start);
      if (end === null || end.sqrtPriceX96 > swap.sqrtPriceX96) break;
      if (end.amount0 === swap.amount0 && end.amount1 === swap.amount1 && end.tick === swap.tick)
        return start;
    }
  }
  throw new PoolReconstructionError(
    `no starting price reproduces the first swap (block ${swap.blockNumber}, log ${swap.logIndex}) without crossing an initialised tick`,
  );
}

/**
 * Rebuilds the state of a pool before a period of its history from the period's events alone: the price
 * (from the first swap), the active liquidity, and the initialised ticks wherever the price went. The
 * liquidity each swap reports, less what the period's own mints and burns added there, is the liquidity the
 * pool had at that tick range at the start; the differences between neighbouring ranges are the ticks'
 * liquidityNet. Where a swap jumped over ranges no event reports, or crossed a tick whose liquidityNet is 0
 * (which still splits the swap's rounding), the placement that reproduces the swap's amounts to the wei is
 * found by trying each. A replay checks every event as it goes; the function throws when one cannot be
 * reproduced.
 *
 * What the events cannot reveal is left out: ticks the price never reached, positions (those burned are
 * recorded on the way), fee growth (it starts at 0, so fee growth inside is exact from the start on) and
 * the oracle's history.
 */
export function reconstructPoolState(parameters: ReconstructPoolStateParameters): ReconstructedPoolState {
  const { events, fee, tickSpacing } = parameters;
  const first = events[0];
  if (first === undefined || first.type !== "swap") {
    throw new PoolReconstructionError(
      `the events must start with a swap (got ${first?.type ?? "no events"})`,
    );
  }

  // The liquidity of each tick range at the start, from every swap's reported liquidity.
  const known = new KnownLiquidity();
  const initialLiquidity = new Map<number, bigint>();
  // Each tick's changes of (gross, net) liquidity from the period's mints and burns, in order.
  const history = new Map<number, [bigint, bigint][]>();
  for (const event of events) {
    if (event.type === "mint" || event.type === "burn") {
      const delta = event.type === "mint" ? event.amount : -event.amount;
      known.add(event.tickLower, event.tickUpper, delta);
      for (const [tick, net] of [
        [event.tickLower, delta],
        [event.tickUpper, -delta],
      ] as const) {
        history.set(tick, [...(history.get(tick) ?? []), [delta, net]]);
      }
    } else if (event.type === "swap") {
      const bucket = bucketOf(event.tick, tickSpacing);
      const atStart = event.liquidity - known.at(bucket * tickSpacing);
      const seen = initialLiquidity.get(bucket);
      if (seen !== undefined && seen !== atStart) {
        throw new PoolReconstructionError(
          `swap at block ${event.blockNumber}, log ${event.logIndex} implies liquidity ${atStart} at the start in ticks ` +
            `[${bucket * tickSpacing}, ${(bucket + 1) * tickSpacing}), an earlier swap implied ${seen}: events are missing`,
        );
      }
      initialLiquidity.set(bucket, atStart);
    }
  }

  const ticks = new Map<number, bigint>();
  const gaps: TickGap[] = [];
  const buckets = [...initialLiquidity.keys()].sort((a, b) => a - b);
  for (let i = 1; i < buckets.length; i++) {
    const [below, above] = [buckets[i - 1]!, buckets[i]!];
    const net = initialLiquidity.get(above)! - initialLiquidity.get(below)!;
    const boundary = (below + 1) * tickSpacing;
    if (net !== 0n) ticks.set(boundary, net);
    // Between ranges no swap ended in, the net can sit on any boundary: start on the lowest.
    if (above > below + 1) {
      const boundaries: number[] = [];
      for (let t = boundary; t <= above * tickSpacing; t += tickSpacing) boundaries.push(t);
      gaps.push({ boundaries, below: 0n, above: 0n, crossings: [] });
    }
  }
  const ticksFromLiquidity = ticks.size;

  const sqrtPriceX96 = priceBeforeSwap(first, fee, tickSpacing);
  const initialState = (): PoolState => {
    const tickStates = new Map<number, TickState>();
    for (const tick of new Set([...ticks.keys(), ...history.keys()])) {
      // The least gross liquidity that keeps gross >= |net| through the period's mints and burns: a tick
      // whose positions the period burns entirely is then cleared, as on chain, and stops splitting swaps.
      const net = ticks.get(tick) ?? 0n;
      const abs = (x: bigint) => (x < 0n ? -x : x);
      let gross = ticks.has(tick) && net === 0n ? 1n : abs(net);
      let [grossChange, netChange] = [0n, 0n];
      for (const [g, n] of history.get(tick) ?? []) {
        [grossChange, netChange] = [grossChange + g, netChange + n];
        if (abs(net + netChange) - grossChange > gross) gross = abs(net + netChange) - grossChange;
      }
      if (gross === 0n) continue;
      tickStates.set(tick, {
        liquidityGross: gross,
        liquidityNet: net,
        feeGrowthOutside0X128: 0n,
        feeGrowthOutside1X128: 0n,
      });
    }
    return {
      fee,
      tickSpacing,
      sqrtPriceX96,
      tick: getTickAtSqrtRatio(sqrtPriceX96),
      liquidity: first.liquidity,
      feeGrowthGlobal0X128: 0n,
      feeGrowthGlobal1X128: 0n,
      ticks: tickStates,
      blockTimestamp: first.timestamp ?? 0,
    };
  };

  let sim = new PoolSimulator(initialState());
  const report = emptyReplayReport();
  const tracked = new Set<string>();
  const touched = new Set<number>();
  let ticksFromAmounts = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    // Every swap across a gap is a constraint on its ranges' liquidity, kept with the state before it.
    let crossed: TickGap[] = [];
    let before: { snapshot: PoolState; sim: PoolSimulator } | null = null;
    if (event.type === "swap" && gaps.length > 0) {
      const path = pathOf(sim, event);
      crossed = gaps.filter((gap) => gap.boundaries.some((t) => path.includes(t)));
      if (crossed.length > 0) before = { snapshot: sim.snapshot(), sim: sim.clone() };
    }
    const divergence = applyPoolEvent(sim, event, i, report, {}, tracked);
    if (divergence === null) {
      if (event.type === "mint" || event.type === "burn") touched.add(event.tickLower).add(event.tickUpper);
      for (const gap of crossed) recordCrossing(gap, before!.snapshot, before!.sim, event as SwapEvent);
      continue;
    }
    if (event.type !== "swap") throw new PoolReconstructionError(divergence.message);
    const fix = findTickPlacement(sim, event, touched, gaps);
    if (fix === null) {
      throw new PoolReconstructionError(
        `no placement of initialised ticks reproduces it: ${divergence.message}`,
      );
    }
    sim = fix.sim;
    for (const [tick, net] of fix.change) {
      if (net === null) ticks.delete(tick);
      else ticks.set(tick, net);
      ticksFromAmounts++;
    }
    report.divergence = null;
    if (applyPoolEvent(sim, event, i, report, {}, tracked) !== null)
      throw new PoolReconstructionError(report.divergence!.message);
  }
  return { state: initialState(), ticksFromLiquidity, ticksFromAmounts, report };
}

/** The boundaries (multiples of the spacing) a swap from `sim`'s state to the event's crosses. */
function pathOf(sim: PoolSimulator, swap: SwapEvent): number[] {
  const down =
    swap.sqrtPriceX96 !== sim.sqrtPriceX96 ? swap.sqrtPriceX96 < sim.sqrtPriceX96 : swap.amount0 > 0n;
  // (end, start] going down, (start, end] going up.
  const [from, to] = down ? [swap.tick, sim.tick] : [sim.tick, swap.tick];
  const path: number[] = [];
  for (let t = (bucketOf(from, sim.tickSpacing) + 1) * sim.tickSpacing; t <= to; t += sim.tickSpacing)
    path.push(t);
  return path;
}

/** Active liquidity just below `tick` in the simulator's current state. */
function liquidityBelow(sim: PoolSimulator, tick: number): bigint {
  let liquidity = sim.liquidity;
  for (const t of sim.initializedTicks()) {
    const net = sim.tickState(t)!.liquidityNet;
    if (tick <= t && t <= sim.tick) liquidity -= net;
    else if (sim.tick < t && t < tick) liquidity += net;
  }
  return liquidity;
}

/** Records a swap across a gap; the first crossing fixes the frame (liquidity below and above the gap). */
function recordCrossing(gap: TickGap, snapshot: PoolState, sim: PoolSimulator, swap: SwapEvent): void {
  if (gap.crossings.length === 0) {
    const netAt = (t: number) => sim.tickState(t)?.liquidityNet ?? 0n;
    gap.below = liquidityBelow(sim, gap.boundaries[0]!);
    gap.above = gap.below + gap.boundaries.reduce((sum, t) => sum + netAt(t), 0n);
  }
  gap.crossings.push({ snapshot, swap });
}

/**
 * The smallest change to the initialised ticks on the swap's path that makes the simulator reproduce it:
 * one new tick carrying the missing liquidityNet (a liquidityNet-0 tick when none is missing), or a
 * liquidityNet-0 tick removed; failing that, liquidity for a gap's unreported ranges that reproduces this
 * and every earlier swap across the gap (solveTickGap).
 */
function findTickPlacement(
  sim: PoolSimulator,
  swap: SwapEvent,
  touched: ReadonlySet<number>,
  gaps: readonly TickGap[],
): { sim: PoolSimulator; change: TickChange } | null {
  const down =
    swap.sqrtPriceX96 !== sim.sqrtPriceX96 ? swap.sqrtPriceX96 < sim.sqrtPriceX96 : swap.amount0 > 0n;
  const path = pathOf(sim, swap);
  const initialized = new Set(sim.initializedTicks());
  const netAt = (t: number) => sim.tickState(t)?.liquidityNet ?? 0n;
  const crossedNet = path.filter((t) => initialized.has(t)).reduce((sum, t) => sum + netAt(t), 0n);
  const missing = (down ? sim.liquidity - swap.liquidity : swap.liquidity - sim.liquidity) - crossedNet;
  const snapshot = sim.snapshot();

  const candidates: TickChange[] = path
    .filter((t) => !initialized.has(t) && !touched.has(t))
    .map((t) => new Map([[t, missing]]));
  for (const t of path) {
    if (initialized.has(t) && !touched.has(t) && netAt(t) + missing === 0n)
      candidates.push(new Map([[t, null]]));
  }
  for (const candidate of candidates) {
    const trial = withTicks(snapshot, candidate);
    if (reproduces(trial, swap)) return { sim: trial, change: candidate };
  }

  for (const gap of gaps) {
    if (!gap.boundaries.some((t) => path.includes(t)) || gap.boundaries.some((t) => touched.has(t))) continue;
    const trialGap: TickGap = { ...gap, crossings: [...gap.crossings] };
    recordCrossing(trialGap, snapshot, sim, swap);
    if (gap.crossings.length === 0) trialGap.above += missing;
    const change = solveTickGap(trialGap);
    if (change !== null) {
      Object.assign(gap, trialGap);
      return { sim: withTicks(snapshot, change), change };
    }
  }
  return null;
}
