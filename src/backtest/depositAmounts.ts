import type { TokenInfo } from "./backtestResult.js";

/**
 * The tokens a run deposits: `capital` numeraire units split at the target share of value, at raw price
 * `price` (token0 in token1). Every run of a backtest deposits the same, at the same step.
 */
export function depositAmounts(options: {
  capital: number;
  numeraire: 0 | 1;
  token0: TokenInfo;
  token1: TokenInfo;
  price: number;
  targetShare1: number;
}): { amount0: bigint; amount1: bigint } {
  const { price, targetShare1 } = options;
  const value1 =
    options.numeraire === 1
      ? options.capital * 10 ** options.token1.decimals
      : options.capital * 10 ** options.token0.decimals * price;
  return {
    amount0: BigInt(Math.floor((value1 * (1 - targetShare1)) / price)),
    amount1: BigInt(Math.floor(value1 * targetShare1)),
  };
}
