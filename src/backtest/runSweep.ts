import type { RunResult } from "./backtestResult.js";
import { BacktestInputError } from "./errors.js";
import { DEFAULT_PASSIVE_PARAMS, runBacktest, type RunBacktestOptions } from "./runBacktest.js";

export interface SweepResult {
  strategy: string;
  /** The param swept (after resolving the `width` alias). */
  param: string;
  /** Each value, the params it ran with, and the run. */
  rows: { value: unknown; params: Record<string, unknown>; run: RunResult }[];
  /** Index of the row with the best net result against holding. */
  best: number;
}

/** What `width` means for each strategy of the registry, so `--sweep width=…` works for all of them. */
const WIDTH_PARAM: Record<string, string> = {
  passive: "baseThreshold",
  volatility: "targetProbability",
  inventory: "targetProbability",
};

/**
 * Runs the strategy once per value of one param (the others as given), on the same path, and marks the run
 * with the best net against holding. `param` may be `width`, the strategy's width param.
 */
export function runSweep(
  options: RunBacktestOptions & { param: string; values: readonly unknown[] },
): SweepResult {
  if (options.values.length === 0)
    throw new BacktestInputError("sweep", `no values for ${options.param}: expected <param>=<v1,v2,...>`);
  const param = options.param === "width" ? (WIDTH_PARAM[options.strategy] ?? options.param) : options.param;
  const base = (options.params ?? (options.strategy === "passive" ? DEFAULT_PASSIVE_PARAMS : {})) as Record<
    string,
    unknown
  >;
  const rows = options.values.map((value) => {
    const params = { ...base, [param]: value };
    const [run] = runBacktest({ ...options, params, baselines: false }).runs;
    return { value, params, run: run! };
  });
  const best = rows.reduce(
    (b, row, i) => (row.run.attribution.net > rows[b]!.run.attribution.net ? i : b),
    0,
  );
  return { strategy: options.strategy, param, rows, best };
}
