import { InvalidAnalyticsInputError, nonNegative, positive } from "./errors.js";
import { positionValue } from "./positionValue.js";
import { SECONDS_PER_YEAR } from "./realisedVolatility.js";

export interface ImpliedVolatilityParameters {
  /** Pool fee as a fraction (0.0005 for the 0.05 % tier). */
  feeRate: number;
  /** Swap volume over the period, valued in token1. */
  volume: number;
  periodSeconds: number;
  /** Active liquidity and the current tick. */
  liquidity: number;
  tick: number;
  tickSpacing: number;
  price: number;
}

/**
 * On-chain implied volatility (Lambert 2021): fees earned by the liquidity in the current tick must pay for
 * the volatility it sells, σ_period ≈ 2·fee·√(volume / value of that liquidity), annualised. The liquidity's
 * value is taken over the initialisable tick range holding the price, [⌊tick/spacing⌋·spacing, +spacing).
 */
export function impliedVolatility(parameters: ImpliedVolatilityParameters): number {
  const feeRate = positive("feeRate", parameters.feeRate);
  const volume = nonNegative("volume", parameters.volume);
  const periodSeconds = positive("periodSeconds", parameters.periodSeconds);
  const liquidity = positive("liquidity", parameters.liquidity);
  const price = positive("price", parameters.price);
  const { tick, tickSpacing } = parameters;
  if (!Number.isInteger(tick)) throw new InvalidAnalyticsInputError("tick", "an integer tick", tick);
  if (!Number.isInteger(tickSpacing) || tickSpacing <= 0)
    throw new InvalidAnalyticsInputError("tickSpacing", "a positive integer", tickSpacing);
  const lowerTick = Math.floor(tick / tickSpacing) * tickSpacing;
  const step = Math.log1p(1e-4);
  const tickValue = positionValue({
    liquidity,
    price,
    priceLower: Math.exp(lowerTick * step),
    priceUpper: Math.exp((lowerTick + tickSpacing) * step),
  });
  return 2 * feeRate * Math.sqrt(volume / tickValue) * Math.sqrt(SECONDS_PER_YEAR / periodSeconds);
}
