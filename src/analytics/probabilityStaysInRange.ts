import { positive, range } from "./errors.js";
import { logReturnMoments } from "./lognormalHorizon.js";
import { normalCdf } from "./normal.js";
import type { ProbabilityInRangeParameters } from "./probabilityInRange.js";

/**
 * Probability that the price never leaves (Pa, Pb) before the horizon (continuous monitoring): the
 * survival of Brownian motion with drift between two barriers, by the method of images with the drift
 * applied through Girsanov's density, summed until the images no longer matter.
 */
export function probabilityStaysInRange(parameters: ProbabilityInRangeParameters): number {
  const price = positive("price", parameters.price);
  const [lower, upper] = range(parameters.priceLower, parameters.priceUpper);
  if (price <= lower || price >= upper) return 0;
  const { m, s } = logReturnMoments(parameters);
  if (s === 0) return 1;
  const variance = s * s;
  const [a, b] = [Math.log(lower / price), Math.log(upper / price)];
  const width = b - a;
  // The mass of X_T in (a, b) with the free density centred at c (shifted by the drift m).
  const inside = (c: number) =>
    Math.exp((m * c) / variance) * (normalCdf((b - c - m) / s) - normalCdf((a - c - m) / s));
  let survival = 0;
  for (let k = 0; ; k++) {
    let term = inside(2 * k * width) - inside(2 * b - 2 * k * width);
    if (k > 0) term += inside(-2 * k * width) - inside(2 * b + 2 * k * width);
    survival += term;
    if (k > 0 && Math.abs(term) < 1e-16) break;
  }
  return Math.min(Math.max(survival, 0), 1);
}
