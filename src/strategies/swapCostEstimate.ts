/**
 * Cost of an exact-input swap through the pool, in token1 raw units against the mid price: the pool fee plus
 * the price impact of trading the rest against the active liquidity `liquidity` as if no tick were crossed
 * (closed form of one constant-liquidity step). The backtester charges the exact figure from the simulator;
 * this is what a strategy can know from a snapshot. Returns the cost and the output amount.
 */
export function swapCostEstimate(options: {
  zeroForOne: boolean;
  amountIn: number;
  /** token0 in token1, raw units. */
  price: number;
  /** Active liquidity at the current tick (a double). */
  liquidity: number;
  /** Pool fee in hundredths of a basis point. */
  fee: number;
}): { cost: number; amountOut: number } {
  const { zeroForOne, amountIn, price, liquidity } = options;
  if (amountIn <= 0) return { cost: 0, amountOut: 0 };
  const afterFee = amountIn * (1 - options.fee / 1e6);
  const sqrtP = Math.sqrt(price);
  if (!(liquidity > 0)) return { cost: zeroForOne ? amountIn * price : amountIn, amountOut: 0 };
  if (zeroForOne) {
    const sqrtNext = 1 / (1 / sqrtP + afterFee / liquidity);
    const amountOut = liquidity * (sqrtP - sqrtNext);
    return { cost: amountIn * price - amountOut, amountOut };
  }
  const sqrtNext = sqrtP + afterFee / liquidity;
  const amountOut = liquidity * (1 / sqrtP - 1 / sqrtNext);
  return { cost: amountIn - amountOut * price, amountOut };
}
