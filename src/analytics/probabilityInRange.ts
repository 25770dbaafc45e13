import { positive, range } from "./errors.js";
import { logReturnMoments, type LognormalHorizon } from "./lognormalHorizon.js";
import { normalCdf } from "./normal.js";

export interface ProbabilityInRangeParameters extends LognormalHorizon {
  priceLower: number;
  priceUpper: number;
}

/**
 * Probability that the price is inside [Pa, Pb] at the horizon under lognormal prices:
 * Φ((ln(Pb/P0) − m)/s) − Φ((ln(Pa/P0) − m)/s). It may have left and come back; for never leaving, see
 * probabilityStaysInRange.
 */
export function probabilityInRange(parameters: ProbabilityInRangeParameters): number {
  const price = positive("price", parameters.price);
  const [lower, upper] = range(parameters.priceLower, parameters.priceUpper);
  const { m, s } = logReturnMoments(parameters);
  if (s === 0) return price >= lower && price <= upper ? 1 : 0;
  return normalCdf((Math.log(upper / price) - m) / s) - normalCdf((Math.log(lower / price) - m) / s);
}
