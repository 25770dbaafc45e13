import { idle, liquidityOf, rangeAmounts } from "./vaultInternals.js";
import type { VaultModel } from "./vaultModel.js";

/**
 * RangeVault.getTotalAmounts: both ranges at the spot price plus the holders' idle tokens. Fees the pool has
 * not credited yet are not in it (the contract only counts them once a call pokes the ranges).
 */
export function vaultTotalAmounts(model: VaultModel): { total0: bigint; total1: bigint } {
  const sqrtPriceX96 = model.pool.sqrtPriceX96;
  let { idle0: total0, idle1: total1 } = idle(model);
  for (const [lower, upper] of [
    [model.baseLower, model.baseUpper],
    [model.limitLower, model.limitUpper],
  ] as const) {
    const liquidity = liquidityOf(model, lower, upper);
    if (liquidity === 0n) continue;
    const amounts = rangeAmounts(sqrtPriceX96, lower, upper, liquidity);
    total0 += amounts.amount0;
    total1 += amounts.amount1;
  }
  return { total0, total1 };
}
