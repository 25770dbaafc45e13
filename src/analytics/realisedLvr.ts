import { finite, InvalidAnalyticsInputError, nonNegative, positive } from "./errors.js";

export interface LvrSwap {
  /** The pool's deltas as in the Swap event (positive = paid into the pool), fee included. */
  amount0: number;
  amount1: number;
  /** Fee in the input token (PoolSimulator's swap result has it exactly); 0 if unknown. */
  feeAmount?: number;
  /** The fair (external, or next) price of token0 in token1 to value the trade at. */
  price: number;
  /** The position's share of the liquidity the swap traded against (L_position / L_active); default 1. */
  share?: number;
}

/**
 * Realised loss-versus-rebalancing over a sequence of swaps: for each, what the pool gave up against a
 * rebalancer trading at the fair price — the value of its token deltas, fee excluded, at that price, with
 * the sign flipped — scaled by the position's share. Arbitrage against a stale pool price makes it positive;
 * fees are counted apart, so LP P&L versus rebalancing is fees − LVR.
 */
export function realisedLvr(swaps: readonly LvrSwap[]): number {
  let total = 0;
  for (let i = 0; i < swaps.length; i++) {
    const swap = swaps[i]!;
    // Field names are built only for an error: this runs for every vault's swaps in every block.
    const amount0 = finiteNumber(swap.amount0) ? swap.amount0 : finite(`swaps[${i}].amount0`, swap.amount0);
    const amount1 = finiteNumber(swap.amount1) ? swap.amount1 : finite(`swaps[${i}].amount1`, swap.amount1);
    const price =
      swap.price > 0 && finiteNumber(swap.price) ? swap.price : positive(`swaps[${i}].price`, swap.price);
    const feeAmount = swap.feeAmount ?? 0;
    const fee =
      feeAmount >= 0 && finiteNumber(feeAmount) ? feeAmount : nonNegative(`swaps[${i}].feeAmount`, feeAmount);
    const shareIn = swap.share ?? 1;
    const share = shareIn >= 0 && finiteNumber(shareIn) ? shareIn : nonNegative(`swaps[${i}].share`, shareIn);
    if (amount0 > 0 && amount1 > 0)
      throw new InvalidAnalyticsInputError(`swaps[${i}]`, "one amount paid in and the other paid out", swap);
    const in0 = amount0 > 0 ? amount0 - fee : amount0;
    const in1 = amount1 > 0 ? amount1 - fee : amount1;
    total -= share * (in0 * price + in1);
  }
  return total;
}

function finiteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}
