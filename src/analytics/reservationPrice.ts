import { finite, nonNegative, positive } from "./errors.js";

export interface InventoryControlParameters {
  /** Mid price s. */
  price: number;
  /** q: inventory excess over target, in units of the risky token (positive = long). */
  inventory: number;
  /** γ: risk aversion. */
  riskAversion: number;
  /** σ, in price units per √time (σ·s for a lognormal σ). */
  volatility: number;
  /** T − t, in the time unit of σ. */
  timeLeft: number;
}

/**
 * Avellaneda–Stoikov (2008) reservation price r = s − q·γ·σ²·(T − t): the price at which the market maker
 * is indifferent to its inventory; centring a range on it leans the range away from the surplus token.
 */
export function reservationPrice(parameters: InventoryControlParameters): number {
  const price = positive("price", parameters.price);
  const inventory = finite("inventory", parameters.inventory);
  const riskAversion = nonNegative("riskAversion", parameters.riskAversion);
  const volatility = nonNegative("volatility", parameters.volatility);
  const timeLeft = nonNegative("timeLeft", parameters.timeLeft);
  return price - inventory * riskAversion * volatility * volatility * timeLeft;
}
