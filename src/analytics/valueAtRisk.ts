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
  // No closures here: this runs for every range of every vault in every block.
  if (s === 0)
    return {
      value,
      valueAtRisk:
        value - positionValue({ liquidity, price: quantilePrice, priceLower: lower, priceUpper: upper }),
      conditionalValueAtRisk: 0,
      quantilePrice,
    };

  const p = quantilePrice;
  const [sqrtA, sqrtB] = [Math.sqrt(lower), Math.sqrt(upper)];
  const token0BelowRange = liquidity * (1 / sqrtA - 1 / sqrtB);
  const inRangeTo = Math.min(p, upper);
  const tail =
    token0BelowRange * between(price, m, s, 1, 0, Math.min(p, lower)) +
    liquidity *
      (2 * between(price, m, s, 0.5, lower, inRangeTo) -
        sqrtA * between(price, m, s, 0, lower, inRangeTo) -
        between(price, m, s, 1, lower, inRangeTo) / sqrtB) +
    liquidity * (sqrtB - sqrtA) * between(price, m, s, 0, upper, p);
  return {
    value,
    valueAtRisk: value - positionValue({ liquidity, price: p, priceLower: lower, priceUpper: upper }),
    conditionalValueAtRisk: value - tail / (1 - confidence),
    quantilePrice,
  };
}

/** E[P^k · 1{P <= q}] for P = price·e^X, X ~ N(m, s²). */
function partial(price: number, m: number, s: number, k: number, q: number): number {
  return q <= 0
    ? 0
    : Math.pow(price, k) *
        Math.exp(k * m + (k * k * s * s) / 2) *
        normalCdf((Math.log(q / price) - m - k * s * s) / s);
}

/** E[P^k · 1{from < P <= to}]. */
function between(price: number, m: number, s: number, k: number, from: number, to: number): number {
  return to > from ? partial(price, m, s, k, to) - partial(price, m, s, k, from) : 0;
}
