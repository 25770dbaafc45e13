import type { MinuteBarData } from "../../src/backtest/loadBacktestData.js";
import type { MinuteBar } from "../../src/data/readMinuteBarsCsv.js";
import { Random } from "../support/random.js";

const LOG_TICK = Math.log1p(1e-4);
const YEAR = 365 * 86_400;

/**
 * A driftless lognormal price path as minute bars of a USDC/WETH-like 0.05 % pool (ticks rounded to the
 * tick), with a constant recorded liquidity and constant gross inflows of each token per bar: a path whose
 * fees, IL and LVR have closed forms.
 */
export function syntheticBars(options: {
  seed: number;
  bars: number;
  /** Annualised σ of ln P. */
  volatility: number;
  startTick?: number;
  liquidity?: bigint;
  inflow0?: bigint;
  inflow1?: bigint;
}): MinuteBarData {
  const random = new Random(options.seed);
  const gaussian = () => {
    const u = Math.max(random.next(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
  };
  const s = options.volatility * Math.sqrt(60 / YEAR);
  let logPrice = (options.startTick ?? 199_000) * LOG_TICK;
  const bars: MinuteBar[] = [];
  const start = 1_700_000_000;
  for (let i = 0; i < options.bars; i++) {
    const open = Math.round(logPrice / LOG_TICK);
    logPrice += s * gaussian() - (s * s) / 2;
    const close = Math.round(logPrice / LOG_TICK);
    bars.push({
      timestamp: start + 60 * i,
      openTick: open,
      closeTick: close,
      lowestTick: Math.min(open, close),
      highestTick: Math.max(open, close),
      netAmount0: 0n,
      netAmount1: 0n,
      inAmount0: options.inflow0 ?? 0n,
      inAmount1: options.inflow1 ?? 0n,
      currentLiquidity: options.liquidity ?? 10n ** 18n,
    });
  }
  return {
    kind: "minute-bars",
    source: `synthetic σ=${options.volatility} seed=${options.seed}`,
    fee: 500,
    tickSpacing: 10,
    token0: { symbol: "USDC", decimals: 6 },
    token1: { symbol: "WETH", decimals: 18 },
    bars,
    start,
    end: start + 60 * options.bars,
  };
}
