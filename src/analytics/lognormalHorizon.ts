import { finite, nonNegative, positive } from "./errors.js";

export interface LognormalHorizon {
  /** Current price P0. */
  price: number;
  /** μ: drift of P per unit time (0: driftless); σ: volatility of ln P per unit time. */
  drift?: number;
  volatility: number;
  /** T, in the unit of μ and σ (years for annualised figures). */
  horizon: number;
}

/** ln(P_T/P0) ~ N(m, s²) with m = (μ − σ²/2)T, s = σ√T. */
export function logReturnMoments(parameters: LognormalHorizon): { m: number; s: number } {
  const drift = finite("drift", parameters.drift ?? 0);
  const volatility = positive("volatility", parameters.volatility);
  const horizon = nonNegative("horizon", parameters.horizon);
  return { m: (drift - (volatility * volatility) / 2) * horizon, s: volatility * Math.sqrt(horizon) };
}
