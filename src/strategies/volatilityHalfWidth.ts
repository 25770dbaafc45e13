import { probabilityStaysInRange } from "../analytics/probabilityStaysInRange.js";
import { SECONDS_PER_YEAR } from "../analytics/realisedVolatility.js";

const LOG_TICK = Math.log1p(1e-4);

/**
 * The narrowest half-width (ticks, a multiple of the spacing, at most `maxHalfWidth`) of a range centred on
 * the price in which a driftless lognormal price with annualised volatility `volatility` stays for
 * `horizonSeconds` with probability at least `targetProbability` (probabilityStaysInRange, two barriers).
 */
export function volatilityHalfWidth(options: {
  volatility: number;
  horizonSeconds: number;
  targetProbability: number;
  tickSpacing: number;
  maxHalfWidth: number;
}): number {
  const { volatility, horizonSeconds, targetProbability, tickSpacing } = options;
  const maxSteps = Math.max(1, Math.floor(options.maxHalfWidth / tickSpacing));
  if (!(volatility > 0)) return tickSpacing;
  const stays = (steps: number) => {
    const logHalf = steps * tickSpacing * LOG_TICK;
    return probabilityStaysInRange({
      price: 1,
      priceLower: Math.exp(-logHalf),
      priceUpper: Math.exp(logHalf),
      volatility,
      horizon: horizonSeconds / SECONDS_PER_YEAR,
    });
  };
  if (stays(maxSteps) < targetProbability) return maxSteps * tickSpacing;
  let [low, high] = [0, maxSteps];
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (stays(mid) >= targetProbability) high = mid;
    else low = mid;
  }
  return high * tickSpacing;
}
