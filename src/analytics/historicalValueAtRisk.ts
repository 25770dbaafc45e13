import { InvalidAnalyticsInputError, nonNegative, positive, probability, range } from "./errors.js";
import { positionValue } from "./positionValue.js";

export interface HistoricalValueAtRiskParameters {
  liquidity: number;
  price: number;
  priceLower: number;
  priceUpper: number;
  /** Past prices at a regular spacing (e.g. minute closes), oldest first. */
  prices: readonly number[];
  /** The horizon, in steps of that spacing. */
  horizonSteps: number;
  confidence: number;
}

/**
 * VaR and CVaR by historical simulation: every horizon-long log return of the series (overlapping
 * windows) applied to today's price, the position revalued, and the worst (1 − α) share of losses taken:
 * VaR is the least of them, CVaR their mean.
 */
export function historicalValueAtRisk(parameters: HistoricalValueAtRiskParameters): {
  value: number;
  valueAtRisk: number;
  conditionalValueAtRisk: number;
  scenarios: number;
} {
  const liquidity = nonNegative("liquidity", parameters.liquidity);
  const price = positive("price", parameters.price);
  const [priceLower, priceUpper] = range(parameters.priceLower, parameters.priceUpper);
  const confidence = probability("confidence", parameters.confidence);
  const { prices, horizonSteps } = parameters;
  if (!Number.isInteger(horizonSteps) || horizonSteps < 1)
    throw new InvalidAnalyticsInputError("horizonSteps", "a positive integer", horizonSteps);
  if (prices.length <= horizonSteps)
    throw new InvalidAnalyticsInputError(
      "prices",
      `more than horizonSteps (${horizonSteps}) prices`,
      prices.length,
    );
  const value = positionValue({ liquidity, price, priceLower, priceUpper });
  const losses: number[] = [];
  for (let i = 0; i + horizonSteps < prices.length; i++) {
    const ratio =
      positive(`prices[${i + horizonSteps}]`, prices[i + horizonSteps]) / positive(`prices[${i}]`, prices[i]);
    losses.push(value - positionValue({ liquidity, price: price * ratio, priceLower, priceUpper }));
  }
  losses.sort((a, b) => b - a);
  const worst = Math.max(1, Math.ceil((1 - confidence) * losses.length));
  const tail = losses.slice(0, worst);
  return {
    value,
    valueAtRisk: tail.at(-1)!,
    conditionalValueAtRisk: tail.reduce((sum, loss) => sum + loss, 0) / worst,
    scenarios: losses.length,
  };
}
