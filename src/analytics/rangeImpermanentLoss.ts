import { positive, range } from "./errors.js";
import { positionAmounts } from "./positionAmounts.js";

export interface RangeImpermanentLossParameters {
  priceStart: number;
  priceNow: number;
  priceLower: number;
  priceUpper: number;
}

/**
 * IL of a range position as a fraction of holding its starting tokens, for a move from P0 to P:
 * −(√r − 1)² / (r(1 − √(P0/Pb)) + 1 − √(Pa/P0)) with r = P/P0 while both prices are in range; outside the
 * range the position's price is clamped to the boundary but the held tokens are valued at the real price.
 * It does not depend on the liquidity.
 */
export function rangeImpermanentLoss(parameters: RangeImpermanentLossParameters): number {
  const priceStart = positive("priceStart", parameters.priceStart);
  const priceNow = positive("priceNow", parameters.priceNow);
  const [priceLower, priceUpper] = range(parameters.priceLower, parameters.priceUpper);
  const start = positionAmounts({ liquidity: 1, price: priceStart, priceLower, priceUpper });
  const now = positionAmounts({ liquidity: 1, price: priceNow, priceLower, priceUpper });
  const hodl = start.amount0 * priceNow + start.amount1;
  return (now.amount0 * priceNow + now.amount1 - hodl) / hodl;
}
