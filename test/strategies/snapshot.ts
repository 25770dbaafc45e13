import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import type { HeldRange, StrategySnapshot } from "../../src/strategies/types.js";

export const TICK = 199_005;
/** token0 (USDC, raw) in token1 (WETH, raw) at TICK: ETH ≈ 2,277 USDC. */
export const PRICE = Math.exp(TICK * Math.log1p(1e-4));

/**
 * A USDC/WETH 0.05 % snapshot of a $1M vault (500,000 USDC and ~219.6 WETH at TICK, target 50 %), with `share1`
 * of its value in WETH and the given ranges.
 */
export function usdcWethSnapshot(
  overrides: {
    tick?: number;
    twapTick?: number;
    timestamp?: number;
    share1?: number;
    base?: HeldRange | null;
    limit?: HeldRange | null;
    lastRebalance?: number | null;
    volatility?: number;
    feeRatePerLiquidity?: number;
    gasCostPerUnit?: number;
  } = {},
): StrategySnapshot {
  const tick = overrides.tick ?? TICK;
  const price = Math.exp(tick * Math.log1p(1e-4));
  const value1 = 439.2e18; // $1M in WETH raw units at TICK
  const share1 = overrides.share1 ?? 0.5;
  return {
    timestamp: overrides.timestamp ?? 1_704_500_000,
    pool: {
      tick,
      sqrtPriceX96: getSqrtRatioAtTick(tick),
      twapTick: overrides.twapTick ?? tick,
      tickSpacing: 10,
      fee: 500,
      liquidity: 2n * 10n ** 19n,
    },
    vault: {
      total0: BigInt(Math.round((value1 * (1 - share1)) / price)),
      total1: BigInt(Math.round(value1 * share1)),
      base: overrides.base === undefined ? null : overrides.base,
      limit: overrides.limit ?? null,
      targetShare1: 0.5,
      lastRebalance: overrides.lastRebalance === undefined ? null : overrides.lastRebalance,
      bounds: {
        minBaseWidth: 100,
        maxBaseWidth: 1_774_540,
        minLimitWidth: 10,
        maxLimitWidth: 887_270,
        maxTwapDeviation: 100,
        minRebalanceInterval: 300,
      },
    },
    market: {
      volatility: overrides.volatility ?? 0.5,
      feeRatePerLiquidity: overrides.feeRatePerLiquidity ?? 1e-4,
      gasCostPerUnit: overrides.gasCostPerUnit ?? 20e9,
    },
  };
}
