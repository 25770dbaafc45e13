import { nonNegative, positive, probability, range } from "./errors.js";
import { logReturnMoments, type LognormalHorizon } from "./lognormalHorizon.js";
import { normalCdf, normalQuantile } from "./normal.js";
import { positionValue } from "./positionValue.js";

export interface ValueAtRiskParameters extends LognormalHorizon {
  liquidity: number;
  priceLower: number;
  priceUpper: number;
  /** α, e.g. 0.99. */
  confidence: number;
}

export interface ValueAtRisk {
  /** The position's value now, in token1. */
  value: number;
  /** V0 − V(p_α): the loss exceeded with probability 1 − α. */
  valueAtRisk: number;
  /** Expected loss given that it is at least the VaR. */
  conditionalValueAtRisk: number;
  /** p_α = P0·e^{m + s·Φ⁻¹(1−α)}, the price at which the VaR is met. */
  quantilePrice: number;
}

/**
 * VaR and CVaR of a range position over a horizon, closed form under lognormal prices. V is non-decreasing
 * in P, so the α-quantile of the loss is met at the (1−α)-quantile of the price, and
 * E[V·1{P ≤ p}] follows from E[P^k 1{P ≤ q}] = P0^k e^{km + k²s²/2} Φ((ln(q/P0) − m − ks²)/s), k ∈ {0, ½, 1},
 * over the pieces below, in and above the range.
 */
export function valueAtRisk(parameters: ValueAtRiskParameters): ValueAtRisk {
  const liquidity = nonNegative("liquidity", parameters.liquidity);
  const price = positive("price", parameters.price);
  const [lower, upper] = range(parameters.priceLower, parameters.priceUpper);
  const confidence = probability("confidence", parameters.confidence);
  const { m, s } = logReturnMoments(parameters);
  const value = positionValue({ liquidity, price, priceLower: lower, priceUpper: upper });
  const quantilePrice = price * Math.exp(m + s * normalQuantile(1 - confidence));
  const valueAt = (p: number) => positionValue({ liquidity, price: p, priceLower: lower, priceUpper: upper });
  if (s === 0)
    return { value, valueAtRisk: value - valueAt(quantilePrice), conditionalValueAtRisk: 0, quantilePrice };

  // E[P^k · 1{P <= q}], and its value over (from, to].
  const partial = (k: number, q: number) =>
    q <= 0
      ? 0
      : Math.pow(price, k) *
        Math.exp(k * m + (k * k * s * s) / 2) *
        normalCdf((Math.log(q / price) - m - k * s * s) / s);
  const between = (k: number, from: number, to: number) =>
    to > from ? partial(k, to) - partial(k, from) : 0;
  const p = quantilePrice;
  const [sqrtA, sqrtB] = [Math.sqrt(lower), Math.sqrt(upper)];
  const token0BelowRange = liquidity * (1 / sqrtA - 1 / sqrtB);
  const inRangeTo = Math.min(p, upper);
  const tail =
    token0BelowRange * between(1, 0, Math.min(p, lower)) +
    liquidity *
      (2 * between(0.5, lower, inRangeTo) -
        sqrtA * between(0, lower, inRangeTo) -
        between(1, lower, inRangeTo) / sqrtB) +
    liquidity * (sqrtB - sqrtA) * between(0, upper, p);
  return {
    value,
    valueAtRisk: value - valueAt(p),
    conditionalValueAtRisk: value - tail / (1 - confidence),
    quantilePrice,
  };
}
