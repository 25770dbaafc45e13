import { InvalidAnalyticsInputError, nonNegative, positive } from "./errors.js";

export interface InventoryDriftParameters {
  amount0: number;
  amount1: number;
  price: number;
  /** The vault's target share of value in token1, in [0, 1]. */
  targetShare1: number;
}

export interface InventoryDrift {
  /** Value in token1 of everything held. */
  value: number;
  /** y / V: the share of value held in token1. */
  share1: number;
  /** share1 − target: positive = surplus of token1, negative = surplus of token0. */
  drift: number;
  /** The surplus token's excess over target, in token1 value (|drift| · V). */
  excessValue: number;
}

/** Inventory drift: how far the token1 share of value sits from the vault's target. */
export function inventoryDrift(parameters: InventoryDriftParameters): InventoryDrift {
  const amount0 = nonNegative("amount0", parameters.amount0);
  const amount1 = nonNegative("amount1", parameters.amount1);
  const price = positive("price", parameters.price);
  const target = nonNegative("targetShare1", parameters.targetShare1);
  if (target > 1) throw new InvalidAnalyticsInputError("targetShare1", "a share in [0, 1]", target);
  const value = amount0 * price + amount1;
  const share1 = value > 0 ? amount1 / value : target;
  return { value, share1, drift: share1 - target, excessValue: Math.abs(share1 - target) * value };
}
