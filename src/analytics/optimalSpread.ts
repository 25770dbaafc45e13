import { nonNegative, positive } from "./errors.js";

export interface OptimalSpreadParameters {
  /** γ: risk aversion (> 0). */
  riskAversion: number;
  /** σ, in price units per √time. */
  volatility: number;
  timeLeft: number;
  /** k: decay of order arrival intensity with distance from the mid (λ(δ) = A·e^{−kδ}). */
  orderArrivalDecay: number;
}

/**
 * Avellaneda–Stoikov (2008) optimal total spread around the reservation price:
 * γσ²(T − t) + (2/γ)·ln(1 + γ/k). For a range: its width, half on each side of the reservation price.
 */
export function optimalSpread(parameters: OptimalSpreadParameters): number {
  const riskAversion = positive("riskAversion", parameters.riskAversion);
  const volatility = nonNegative("volatility", parameters.volatility);
  const timeLeft = nonNegative("timeLeft", parameters.timeLeft);
  const decay = positive("orderArrivalDecay", parameters.orderArrivalDecay);
  return (
    riskAversion * volatility * volatility * timeLeft +
    (2 / riskAversion) * Math.log(1 + riskAversion / decay)
  );
}
