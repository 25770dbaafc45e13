import { positionAmounts, type PositionAmountsParameters } from "./positionAmounts.js";

export interface PositionGreeks {
  /** ∂V/∂P: the token0 held (token0 units). */
  delta: number;
  /** ∂²V/∂P²: −L / (2 P^{3/2}) in range, 0 outside (the short gamma an LP carries). */
  gamma: number;
}

/** Delta and gamma of a range position's token1 value with respect to the price. */
export function positionGreeks(parameters: PositionAmountsParameters): PositionGreeks {
  const { amount0 } = positionAmounts(parameters);
  const { liquidity, price, priceLower, priceUpper } = parameters;
  const inRange = price > priceLower && price < priceUpper;
  return { delta: amount0, gamma: inRange ? -liquidity / (2 * price ** 1.5) : 0 };
}
