import { mulDiv } from "../../uniswap/fullMath.js";

const MAX_UINT128 = (1n << 128n) - 1n;

/** PriceMath.meanTick: the arithmetic mean tick over `window` seconds, rounded towards −∞ (OracleLibrary.consult). */
export function meanTick(cumulativeStart: bigint, cumulativeEnd: bigint, window: number): number {
  const delta = cumulativeEnd - cumulativeStart;
  const span = BigInt(window);
  let tick = delta / span;
  if (delta < 0n && delta % span !== 0n) tick -= 1n;
  return Number(tick);
}

/** PriceMath.quote0In1: `amount0` of token0 in token1 at `sqrtPriceX96`, rounded down (getQuoteAtTick's way). */
export function quote0In1(amount0: bigint, sqrtPriceX96: bigint): bigint {
  if (sqrtPriceX96 <= MAX_UINT128) return mulDiv(amount0, sqrtPriceX96 * sqrtPriceX96, 1n << 192n);
  return mulDiv(amount0, mulDiv(sqrtPriceX96, sqrtPriceX96, 1n << 64n), 1n << 128n);
}
