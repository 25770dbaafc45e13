import { InvalidAnalyticsInputError } from "./errors.js";

/**
 * Prices as the analytics use them: P = token0's price in token1, in raw units (1.0001^tick), a double.
 * For USDC (token0, 6 dp) / WETH (token1, 18 dp) the ETH price in USDC is 1e12 / P.
 */

const Q96 = 2 ** 96;

export function priceFromTick(tick: number): number {
  if (!Number.isInteger(tick)) throw new InvalidAnalyticsInputError("tick", "an integer tick", tick);
  return Math.exp(tick * Math.log1p(1e-4));
}

export function priceFromSqrtPriceX96(sqrtPriceX96: bigint): number {
  if (typeof sqrtPriceX96 !== "bigint" || sqrtPriceX96 <= 0n)
    throw new InvalidAnalyticsInputError("sqrtPriceX96", "a positive bigint", sqrtPriceX96);
  const root = Number(sqrtPriceX96) / Q96;
  return root * root;
}

/** The tick whose price is the greatest at or below `price` (as TickMath rounds, up to double precision). */
export function tickFromPrice(price: number): number {
  if (!(price > 0) || !Number.isFinite(price))
    throw new InvalidAnalyticsInputError("price", "a positive finite number", price);
  return Math.floor(Math.log(price) / Math.log1p(1e-4) + 1e-9);
}
