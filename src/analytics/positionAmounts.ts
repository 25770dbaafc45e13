import { nonNegative, positive, range } from "./errors.js";

export interface RangePosition {
  /** Liquidity L (a double; raw units, as the pool counts it). */
  liquidity: number;
  priceLower: number;
  priceUpper: number;
}

export interface PositionAmountsParameters extends RangePosition {
  /** Current price P (token0 in token1, raw units). */
  price: number;
}

export interface PositionAmounts {
  amount0: number;
  amount1: number;
}

/**
 * The tokens a range position holds at price P (Uniswap v3 whitepaper §6): in range x = L(1/√P − 1/√Pb),
 * y = L(√P − √Pa); below the range all token0, above it all token1.
 */
export function positionAmounts(parameters: PositionAmountsParameters): PositionAmounts {
  const liquidity = nonNegative("liquidity", parameters.liquidity);
  const price = positive("price", parameters.price);
  const [lower, upper] = range(parameters.priceLower, parameters.priceUpper);
  const sqrtP = Math.sqrt(Math.min(Math.max(price, lower), upper));
  const sqrtA = Math.sqrt(lower);
  const sqrtB = Math.sqrt(upper);
  return { amount0: liquidity * (1 / sqrtP - 1 / sqrtB), amount1: liquidity * (sqrtP - sqrtA) };
}
