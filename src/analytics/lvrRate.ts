import { nonNegative, positive, range } from "./errors.js";

export interface LvrRateParameters {
  liquidity: number;
  price: number;
  priceLower: number;
  priceUpper: number;
  /** σ of ln P per unit time (e.g. per year); the rate comes out per the same unit. */
  volatility: number;
}

/**
 * Instantaneous loss-versus-rebalancing rate (Milionis et al. 2022), ℓ = −½σ²P²V″(P): σ²L√P/4 in range,
 * 0 outside, in token1 per unit time. For a full range it is σ²/8 of the position's value.
 */
export function lvrRate(parameters: LvrRateParameters): number {
  const liquidity = nonNegative("liquidity", parameters.liquidity);
  const price = positive("price", parameters.price);
  const [lower, upper] = range(parameters.priceLower, parameters.priceUpper);
  const volatility = nonNegative("volatility", parameters.volatility);
  if (price <= lower || price >= upper) return 0;
  return (volatility * volatility * liquidity * Math.sqrt(price)) / 4;
}
