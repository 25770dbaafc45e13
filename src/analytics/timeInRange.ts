import { finite, InvalidAnalyticsInputError } from "./errors.js";

export interface TickObservation {
  /** Seconds. */
  timestamp: number;
  /** The pool's tick from this time until the next observation. */
  tick: number;
}

export interface TimeInRange {
  seconds: number;
  secondsInRange: number;
  /** secondsInRange / seconds (0 over an empty period). */
  fraction: number;
}

/**
 * Time a range [tickLower, tickUpper) was active over a tick path (the pool counts tickLower <= tick <
 * tickUpper as in range), from the first observation to `end` (default: the last observation). For the
 * chain's own count, snapshotCumulativesInside's secondsInside (PoolSimulator has it too) gives the same.
 */
export function timeInRange(parameters: {
  observations: readonly TickObservation[];
  tickLower: number;
  tickUpper: number;
  end?: number;
}): TimeInRange {
  const { observations, tickLower, tickUpper } = parameters;
  if (!Number.isInteger(tickLower) || !Number.isInteger(tickUpper) || tickLower >= tickUpper)
    throw new InvalidAnalyticsInputError(
      "tickUpper",
      `an integer tick above tickLower (${tickLower})`,
      tickUpper,
    );
  if (observations.length === 0) return { seconds: 0, secondsInRange: 0, fraction: 0 };
  const end = finite("end", parameters.end ?? observations.at(-1)!.timestamp);
  let secondsInRange = 0;
  for (let i = 0; i < observations.length; i++) {
    const { timestamp, tick } = observations[i]!;
    const until = i + 1 < observations.length ? observations[i + 1]!.timestamp : end;
    if (until < timestamp)
      throw new InvalidAnalyticsInputError(
        `observations[${i + 1}].timestamp`,
        `a time at or after ${timestamp}`,
        until,
      );
    if (tick >= tickLower && tick < tickUpper) secondsInRange += until - timestamp;
  }
  const seconds = end - observations[0]!.timestamp;
  return { seconds, secondsInRange, fraction: seconds > 0 ? secondsInRange / seconds : 0 };
}
