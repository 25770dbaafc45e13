import { finite, nonNegative, positive } from "./errors.js";

export interface ImpermanentLossParameters {
  /** Current price P (token0 in token1, raw units). */
  price: number;
  /** What the position (or vault) holds now, valued in token1: positions, fees aside, plus idle tokens. */
  value: number;
  /** The tokens held at the reference point: at inception, or at the last rebalance. */
  reference: { amount0: number; amount1: number };
}

export interface ImpermanentLoss {
  /** The reference tokens valued at the current price: x0·P + y0. */
  hodlValue: number;
  /** value − hodlValue (negative: a loss). */
  loss: number;
  /** loss / hodlValue. */
  fraction: number;
}

/**
 * Impermanent loss versus holding the reference tokens. Pass the amounts at inception for IL since
 * inception, the amounts right after the last rebalance for IL since then; the same call serves a single
 * position and a whole vault.
 */
export function impermanentLoss(parameters: ImpermanentLossParameters): ImpermanentLoss {
  const price = positive("price", parameters.price);
  const value = finite("value", parameters.value);
  const amount0 = nonNegative("reference.amount0", parameters.reference?.amount0);
  const amount1 = nonNegative("reference.amount1", parameters.reference?.amount1);
  const hodlValue = amount0 * price + amount1;
  const loss = value - hodlValue;
  return { hodlValue, loss, fraction: hodlValue > 0 ? loss / hodlValue : 0 };
}
