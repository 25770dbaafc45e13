import { EwmaVolatility } from "../analytics/ewmaVolatility.js";
import { priceFromSqrtPriceX96 } from "../analytics/price.js";
import type { RunResult } from "./backtestResult.js";
import { createBacktestRecorder } from "./createBacktestRecorder.js";
import { depositAmounts } from "./depositAmounts.js";
import type { RunStrategyOnPathOptions } from "./runStrategyOnPath.js";

/**
 * The "hold" baseline: the deposit every run makes, kept as tokens. A pool without the vault's liquidity ends
 * each step at the recorded price, so the path's prices are all it needs (no pool is simulated).
 */
export function runHoldOnPath(
  options: Omit<RunStrategyOnPathOptions, "strategy" | "params" | "name" | "role" | "gas" | "protocolFeeBps">,
): RunResult {
  const { path } = options;
  const targetShare1 = options.vaultParams.targetToken1Bps / 10_000;
  const start = path.timestamps[0]! + options.warmupSeconds;
  let recorder: ReturnType<typeof createBacktestRecorder> | null = null;
  let amounts = { amount0: 0, amount1: 0 };
  // The same estimator as the other runs', so its predicted VaR compares with theirs.
  const volatility = new EwmaVolatility({ halfLifeSeconds: options.volatilityHalfLifeSeconds });
  for (let i = 0; i < path.timestamps.length; i++) {
    const time = path.timestamps[i]!;
    const sqrtPriceX96 = path.sqrtPrices[i]!;
    const price = priceFromSqrtPriceX96(sqrtPriceX96);
    volatility.update(time, price);
    if (time < start) continue;
    if (recorder === null) {
      const deposit = depositAmounts({ ...options, price, targetShare1 });
      amounts = { amount0: Number(deposit.amount0), amount1: Number(deposit.amount1) };
      recorder = createBacktestRecorder({
        name: "hold",
        role: "hold",
        params: null,
        token0: options.token0,
        token1: options.token1,
        numeraire: options.numeraire,
        deposit: amounts,
        targetShare1,
        riskHorizonSeconds: options.riskHorizonSeconds,
      });
    }
    recorder.step({
      timestamp: time,
      sqrtPriceX96,
      tick: 0,
      base: null,
      limit: null,
      idle0: amounts.amount0,
      idle1: amounts.amount1,
      uncollected0: 0,
      uncollected1: 0,
      feesEarned0: 0,
      feesEarned1: 0,
      volatility: volatility.volatility(),
    });
  }
  return recorder!.finish();
}
