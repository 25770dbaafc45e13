import { defaultVaultParams, type VaultParams } from "../chain/vault/params.js";
import { passiveStrategy, type PassiveParams } from "../strategies/passive.js";
import { fullRangeStrategy } from "../strategies/fullRange.js";
import { getStrategy } from "../strategies/registry.js";
import type { BacktestMeta, BacktestResult, GasModel, RunResult } from "./backtestResult.js";
import { BacktestInputError } from "./errors.js";
import { defaultGasModel } from "./gasModel.js";
import { runHoldOnPath } from "./runHoldOnPath.js";
import { loadBacktestData, type BacktestData, type LoadBacktestDataOptions } from "./loadBacktestData.js";
import type { MarketPath } from "./marketPath.js";
import { minuteBarPath } from "./minuteBarPath.js";
import { runStrategyOnPath } from "./runStrategyOnPath.js";
import { swapEventPath } from "./swapEventPath.js";

export interface RunBacktestOptions {
  /** Loaded data, or a folder or file for loadBacktestData (with `window`). */
  data: BacktestData | string;
  window?: LoadBacktestDataOptions;
  /** A strategy of the registry (src/strategies/registry.ts) and its params (validated by it). */
  strategy: string;
  params?: unknown;
  /** Run the three baselines too (hold, full range, Charm's passive). Default true. */
  baselines?: boolean;
  /** Charm's passive rule as the baseline; default base ±1,800 ticks, limit 600, every 12 h after a 100-tick move. */
  passiveParams?: PassiveParams;
  /** Money is counted in token0 or token1; default: the stablecoin if there is one, else token1. */
  numeraire?: 0 | 1;
  /** Starting value in numeraire units; default 1,000,000 of a stablecoin, else 1,000. */
  capital?: number;
  gas?: Partial<GasModel>;
  vault?: Partial<VaultParams>;
  /** The vault's protocol share of fees, bps; default 0 (every run pays the same share). */
  protocolFeeBps?: number;
  warmupSeconds?: number;
  volatilityHalfLifeSeconds?: number;
  feeRateHalfLifeSeconds?: number;
  /** Horizon of the VaR figures; default a 24th of the span, between an hour and a day. */
  riskHorizonSeconds?: number;
}

const STABLE = new Set(["USDC", "USDT", "DAI"]);
/** Charm's passive rule as this project runs it by default (it has no defaults of its own). */
export const DEFAULT_PASSIVE_PARAMS = {
  baseThreshold: 1800,
  limitThreshold: 600,
  period: 43_200,
  minTickMove: 100,
};
const paths = new WeakMap<BacktestData, MarketPath>();
const loaded = new Map<string, BacktestData>();

/** The path of `data`, built once per data object (rebuilding a day's starting state takes seconds). */
export function marketPathOf(data: BacktestData): MarketPath {
  let path = paths.get(data);
  if (path === undefined) {
    path = data.kind === "swaps" ? swapEventPath(data) : minuteBarPath(data);
    paths.set(data, path);
  }
  return path;
}

/** Loaded once per folder, file and window in a process (a sweep or a bench reuses it). */
export function loadBacktestDataCached(source: string, window: LoadBacktestDataOptions = {}): BacktestData {
  const key = JSON.stringify([source, window]);
  let data = loaded.get(key);
  if (data === undefined) {
    data = loadBacktestData(source, window);
    loaded.set(key, data);
  }
  return data;
}

/**
 * Backtests a strategy of the registry (the keeper's own code) over recorded history through the vault model,
 * with the three baselines on the same path: the P&L attribution against holding (fees, IL, LVR, gas, swap
 * costs, net), time in range, rebalances, drift, drawdown and realised versus predicted VaR/CVaR.
 */
export function runBacktest(options: RunBacktestOptions): BacktestResult {
  const data =
    typeof options.data === "string" ? loadBacktestDataCached(options.data, options.window) : options.data;
  return runBacktestOnPath({
    ...options,
    path: marketPathOf(data),
    source: data.source,
    pool: { fee: data.fee, tickSpacing: data.tickSpacing, token0: data.token0, token1: data.token1 },
    start: data.start,
    end: data.end,
  });
}

export interface RunBacktestOnPathOptions extends Omit<RunBacktestOptions, "data" | "window"> {
  path: MarketPath;
  /** Where the path comes from, for the report. */
  source: string;
  pool: BacktestMeta["pool"];
  /** The span of the history, seconds. */
  start: number;
  end: number;
  /** The keeper's measure.initialVolatility, used until the EWMA has seen a move (default: none). */
  initialVolatility?: number;
  /** Seconds from a decision to its rebalance (runStrategyOnPath); default 0. */
  executionDelaySeconds?: number;
}

/** runBacktest on a market path already built (the demo's price path, or a loaded data set's). */
export function runBacktestOnPath(options: RunBacktestOnPathOptions): BacktestResult {
  const { path, pool } = options;
  const strategy = getStrategy(options.strategy);
  // Charm's rule has no defaults of its own; the baseline's are the natural ones for a bare name.
  const params = strategy.parseParams(
    options.params ?? (strategy.name === "passive" ? DEFAULT_PASSIVE_PARAMS : {}),
  );
  const numeraire = options.numeraire ?? (STABLE.has(pool.token0.symbol) ? 0 : 1);
  const token = numeraire === 0 ? pool.token0 : pool.token1;
  const capital = options.capital ?? (STABLE.has(token.symbol) ? 1_000_000 : 1_000);
  if (!(capital > 0)) throw new BacktestInputError("capital", `expected a positive amount, got ${capital}`);
  const gas = defaultGasModel(options.gas);
  const vaultParams = { ...defaultVaultParams(pool.tickSpacing), ...options.vault };
  const span = options.end - options.start;
  const common = {
    path,
    token0: pool.token0,
    token1: pool.token1,
    numeraire,
    capital,
    vaultParams,
    protocolFeeBps: options.protocolFeeBps ?? 0,
    gas,
    warmupSeconds: options.warmupSeconds ?? 4 * 3600,
    volatilityHalfLifeSeconds: options.volatilityHalfLifeSeconds ?? 2 * 3600,
    initialVolatility: options.initialVolatility,
    executionDelaySeconds: options.executionDelaySeconds,
    feeRateHalfLifeSeconds: options.feeRateHalfLifeSeconds ?? 6 * 3600,
    riskHorizonSeconds: options.riskHorizonSeconds ?? Math.min(86_400, Math.max(3600, Math.round(span / 24))),
  };
  const runs: RunResult[] = [
    runStrategyOnPath({ ...common, strategy, params, name: strategy.name, role: "strategy" }),
  ];
  if (options.baselines ?? true) {
    const passiveParams = passiveStrategy.parseParams(options.passiveParams ?? DEFAULT_PASSIVE_PARAMS);
    runs.push(
      runHoldOnPath(common),
      runStrategyOnPath({
        ...common,
        strategy: fullRangeStrategy as never,
        params: {},
        name: "full range",
        role: "full-range",
      }),
      runStrategyOnPath({
        ...common,
        strategy: passiveStrategy as never,
        params: passiveParams,
        name: "passive (Charm)",
        role: "passive",
      }),
    );
  }
  const meta: BacktestMeta = {
    source: options.source,
    kind: path.kind,
    pool,
    start: options.start,
    end: options.end,
    steps: path.timestamps.length,
    numeraire: { token: numeraire, symbol: token.symbol },
    strategy: { name: strategy.name, params },
    capital,
    gas,
    assumptions: [
      ...path.assumptions,
      `Gas: ${gas.rebalanceGas.toLocaleString("en-US")} per rebalance (${gas.firstRebalanceGas.toLocaleString("en-US")} for the first, +${gas.swapGas.toLocaleString("en-US")} with a swap) at ${gas.gasPriceGwei} gwei, paid in ETH by the keeper.`,
      common.warmupSeconds > 0
        ? `The first ${common.warmupSeconds} s only warm up the volatility (EWMA, half-life ${common.volatilityHalfLifeSeconds} s) and fee-rate (half-life ${common.feeRateHalfLifeSeconds} s) estimators; every run is funded when it ends.`
        : `Every run is funded at the first step; the volatility (EWMA, half-life ${common.volatilityHalfLifeSeconds} s${common.initialVolatility === undefined ? "" : `, ${common.initialVolatility} until it has seen a move`}) and fee-rate (half-life ${common.feeRateHalfLifeSeconds} s) estimators start there too, as the keeper's do.`,
      "IL is the residual: vault value − holding value − fees + swap costs; LVR is measured step by step and is not added to it.",
    ],
  };
  return { meta, runs };
}
