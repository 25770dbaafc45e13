import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from "./constants.js";
import { PoolRevertError } from "./errors.js";
import type { PoolEvent, SwapEvent } from "./poolEvent.js";
import type { PoolSimulator, SwapParameters, SwapResult, TokenAmounts } from "./poolSimulator.js";

export interface ReplayOptions {
  /**
   * A burn of liquidity the simulator does not hold for that owner and range means the position was minted
   * before the starting state. "track" (default) records it as an existing position and goes on; "diverge"
   * reports it. Collects from such positions may take fees earned before the start: the excess is counted
   * in `untrackedCollected` rather than reported.
   */
  unknownPositions?: "track" | "diverge";
  /**
   * Called after each event is applied, with the swap parameters that reproduced it for a Swap: a
   * backtester applies the same trades to a second simulator that also holds its own positions.
   */
  onApplied?: (event: PoolEvent, index: number, swap: SwapParameters | null) => void;
}

/** The first event the simulator could not reproduce, and how it differs. */
export interface Divergence {
  /** Index of the event in the replayed list. */
  index: number;
  event: PoolEvent;
  /** The first field that differs: a Swap's sqrtPriceX96, tick, liquidity, amount0 or amount1, or "revert". */
  field: string;
  expected: string;
  actual: string;
  message: string;
}

export interface ReplayReport {
  /** Events applied (all of them when there is no divergence). */
  applied: number;
  swaps: number;
  mints: number;
  burns: number;
  collects: number;
  flashes: number;
  /** Swaps that matched as exact input, exact output, or exact input stopped by a price limit. */
  swapKinds: { exactInput: number; exactOutput: number; priceLimited: number };
  /** Positions burned that the starting state did not hold (recorded on the way, see ReplayOptions). */
  trackedPositions: number;
  /** Collected beyond what tracked positions owed: fees they earned before the replay started. */
  untrackedCollected: { amount0: bigint; amount1: bigint };
  divergence: Divergence | null;
}

const SWAP_FIELDS = ["sqrtPriceX96", "tick", "liquidity", "amount0", "amount1"] as const;

/** What the Swap event allows: exact input of what came in, exact output of what went out, or a price limit. */
function swapReadings(
  sim: PoolSimulator,
  event: SwapEvent,
): { kind: keyof ReplayReport["swapKinds"]; parameters: SwapParameters }[] {
  const zeroForOne =
    event.sqrtPriceX96 !== sim.sqrtPriceX96 ? event.sqrtPriceX96 < sim.sqrtPriceX96 : event.amount0 > 0n;
  const amountIn = zeroForOne ? event.amount0 : event.amount1;
  const amountOut = -(zeroForOne ? event.amount1 : event.amount0);
  const readings: { kind: keyof ReplayReport["swapKinds"]; parameters: SwapParameters }[] = [];
  if (amountIn > 0n)
    readings.push({ kind: "exactInput", parameters: { zeroForOne, amountSpecified: amountIn } });
  if (amountOut > 0n)
    readings.push({ kind: "exactOutput", parameters: { zeroForOne, amountSpecified: -amountOut } });
  const limit = event.sqrtPriceX96;
  const limitValid = zeroForOne
    ? limit < sim.sqrtPriceX96 && limit > MIN_SQRT_RATIO
    : limit > sim.sqrtPriceX96 && limit < MAX_SQRT_RATIO;
  if (amountIn > 0n && limitValid)
    readings.push({
      kind: "priceLimited",
      parameters: { zeroForOne, amountSpecified: amountIn, sqrtPriceLimitX96: limit },
    });
  return readings;
}

function firstDifference(event: SwapEvent, result: SwapResult): (typeof SWAP_FIELDS)[number] | null {
  for (const field of SWAP_FIELDS) if (result[field] !== event[field]) return field;
  return null;
}

function diverge(
  report: ReplayReport,
  event: PoolEvent,
  index: number,
  field: string,
  expected: unknown,
  actual: unknown,
  why: string,
): Divergence {
  report.divergence = {
    index,
    event,
    field,
    expected: String(expected),
    actual: String(actual),
    message: `event ${index} (${event.type} at block ${event.blockNumber}, log ${event.logIndex}): ${why}`,
  };
  return report.divergence;
}

function mismatch(
  report: ReplayReport,
  event: PoolEvent,
  index: number,
  action: string,
  got: TokenAmounts,
  expected: TokenAmounts,
): Divergence {
  const field = got.amount0 !== expected.amount0 ? "amount0" : "amount1";
  return diverge(
    report,
    event,
    index,
    field,
    expected[field],
    got[field],
    `the ${action} books ${got.amount0}/${got.amount1}, the event says ${expected.amount0}/${expected.amount1}`,
  );
}

/** Runs a mint, burn or flash; a revert or (when `expected` is given) other amounts is a divergence. */
function checked(
  report: ReplayReport,
  event: PoolEvent,
  index: number,
  action: string,
  run: () => TokenAmounts | undefined,
  expected?: TokenAmounts,
): Divergence | null {
  let got: TokenAmounts | undefined;
  try {
    got = run();
  } catch (error) {
    const reason = revertOf(error).message;
    return diverge(
      report,
      event,
      index,
      "revert",
      `a ${action}`,
      reason,
      `the simulator refuses the ${action}: ${reason}`,
    );
  }
  if (
    expected !== undefined &&
    got &&
    (got.amount0 !== expected.amount0 || got.amount1 !== expected.amount1)
  ) {
    return mismatch(report, event, index, action, got, expected);
  }
  return null;
}

function revertOf(error: unknown): PoolRevertError {
  if (error instanceof PoolRevertError) return error;
  throw error;
}

/**
 * Tracks the replay's bookkeeping across calls of applyPoolEvent, so that a caller replaying event by event
 * (the state reconstruction, a keeper following new blocks) gets the same report as replayPoolEvents.
 */
export function emptyReplayReport(): ReplayReport {
  return {
    applied: 0,
    swaps: 0,
    mints: 0,
    burns: 0,
    collects: 0,
    flashes: 0,
    swapKinds: { exactInput: 0, exactOutput: 0, priceLimited: 0 },
    trackedPositions: 0,
    untrackedCollected: { amount0: 0n, amount1: 0n },
    divergence: null,
  };
}

/**
 * Applies one event to the simulator and checks it, updating `report`; returns the divergence (also stored
 * in the report) when the simulator does not reproduce the event. A diverging swap is not executed; a
 * diverging mint, burn or collect has been.
 */
export function applyPoolEvent(
  sim: PoolSimulator,
  event: PoolEvent,
  index: number,
  report: ReplayReport,
  options: ReplayOptions = {},
  tracked: Set<string> = new Set(),
): Divergence | null {
  if (event.timestamp !== null) sim.setTime(event.timestamp);

  switch (event.type) {
    case "swap": {
      let closest: SwapResult | null = null;
      let refusal: PoolRevertError | null = null;
      for (const { kind, parameters } of swapReadings(sim, event)) {
        let quote: SwapResult;
        try {
          quote = sim.quoteSwap(parameters);
        } catch (error) {
          refusal ??= revertOf(error);
          continue;
        }
        if (firstDifference(event, quote) === null) {
          sim.swap(parameters);
          report.swaps++;
          report.swapKinds[kind]++;
          report.applied++;
          options.onApplied?.(event, index, parameters);
          return null;
        }
        closest ??= quote;
      }
      if (closest === null) {
        return diverge(
          report,
          event,
          index,
          "revert",
          "a swap",
          refusal?.message ?? "no reading",
          "the simulator refuses every reading of the swap",
        );
      }
      const field = firstDifference(event, closest)!;
      return diverge(
        report,
        event,
        index,
        field,
        event[field],
        closest[field],
        `${field} is ${closest[field]} after the swap as exact input (or its next reading), the event says ${event[field]}`,
      );
    }
    case "mint": {
      const divergence = checked(report, event, index, "mint", () => sim.mint(event), event);
      if (divergence !== null) return divergence;
      report.mints++;
      break;
    }
    case "burn": {
      const key = `${event.owner.toLowerCase()}|${event.tickLower}|${event.tickUpper}`;
      const held = sim.position(event.owner, event.tickLower, event.tickUpper).liquidity;
      if (held === 0n && event.amount === 0n && options.unknownPositions !== "diverge") {
        // A poke of a position from before the start: it only settles fees the simulator cannot know.
        if (!tracked.has(key)) report.trackedPositions++;
        tracked.add(key);
        report.burns++;
        break;
      }
      if (held < event.amount) {
        if (options.unknownPositions === "diverge") {
          return diverge(
            report,
            event,
            index,
            "position",
            event.amount,
            held,
            `the owner holds ${held} liquidity in the range, the burn removes ${event.amount}`,
          );
        }
        sim.trackExistingPosition({ ...event, amount: event.amount - held });
        if (!tracked.has(key)) report.trackedPositions++;
        tracked.add(key);
      }
      const divergence = checked(report, event, index, "burn", () => sim.burn(event), event);
      if (divergence !== null) return divergence;
      report.burns++;
      break;
    }
    case "collect": {
      const key = `${event.owner.toLowerCase()}|${event.tickLower}|${event.tickUpper}`;
      const got = sim.collect({ ...event, amount0Requested: event.amount0, amount1Requested: event.amount1 });
      if (got.amount0 !== event.amount0 || got.amount1 !== event.amount1) {
        if (!tracked.has(key)) return mismatch(report, event, index, "collect", got, event);
        report.untrackedCollected.amount0 += event.amount0 - got.amount0;
        report.untrackedCollected.amount1 += event.amount1 - got.amount1;
      }
      report.collects++;
      break;
    }
    case "flash": {
      const divergence = checked(report, event, index, "flash", () => {
        sim.flash(event);
        return undefined;
      });
      if (divergence !== null) return divergence;
      report.flashes++;
      break;
    }
  }
  report.applied++;
  options.onApplied?.(event, index, null);
  return null;
}

/**
 * Replays pool events (decoded logs, in chain order) into the simulator, checking each against the
 * simulator's result: a Swap's amounts, sqrtPriceX96, tick and liquidity, a Mint's or Burn's amounts, a
 * Collect's amounts. Stops at the first event it cannot reproduce and reports where and how it differs.
 * Swap events do not say whether the trader fixed the input, the output or a price limit: each reading is
 * tried, and the one that reproduces the event is executed.
 */
export function replayPoolEvents(
  sim: PoolSimulator,
  events: readonly PoolEvent[],
  options: ReplayOptions = {},
): ReplayReport {
  const report = emptyReplayReport();
  const tracked = new Set<string>();
  for (let i = 0; i < events.length; i++) {
    if (applyPoolEvent(sim, events[i]!, i, report, options, tracked) !== null) break;
  }
  return report;
}
