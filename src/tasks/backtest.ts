import { resolve } from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { BacktestInputError } from "../backtest/errors.js";
import { runBacktest, type RunBacktestOptions } from "../backtest/runBacktest.js";
import { runSweep } from "../backtest/runSweep.js";
import { DataFileError } from "../data/csvFile.js";
import { formatBacktestTable } from "../report/formatBacktestTable.js";
import { formatRiskTable } from "../report/formatRiskTable.js";
import { formatSweepTable } from "../report/formatSweepTable.js";
import { writeReport } from "../report/writeReport.js";
import { InvalidStrategyParamsError } from "../strategies/parseStrategyParams.js";
import { UnknownStrategyError } from "../strategies/registry.js";
import { InvalidOptionError, parseJsonOption } from "./parseJsonOption.js";

interface BacktestArguments {
  data: string;
  strategy: string;
  params: string;
  sweep: string;
  out: string;
  from: string;
  to: string;
  capital: string;
  gasGwei: string;
  numeraire: string;
  noBaselines: boolean;
}

/**
 * `hardhat backtest --data <folder or file> --strategy <name> [--params <json>] [--sweep <param>=<v1,v2,...>]
 * --out <dir>`: runs a registry strategy (and the baselines) over recorded history, prints the tables and writes
 * report.html and result.json; with --sweep, one run per value and a table with the best marked. Bad input ends
 * with one line naming what was expected and exit code 1.
 */
export default async function backtest(args: BacktestArguments, _hre: HardhatRuntimeEnvironment) {
  try {
    run(args);
  } catch (error) {
    if (
      error instanceof BacktestInputError ||
      error instanceof InvalidOptionError ||
      error instanceof DataFileError ||
      error instanceof UnknownStrategyError ||
      error instanceof InvalidStrategyParamsError
    ) {
      console.error(`backtest: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}

function run(args: BacktestArguments) {
  if (args.data === "")
    throw new BacktestInputError("--data", "required: a folder or CSV file of recorded pool history");
  if (args.out === "") throw new BacktestInputError("--out", "required: the folder to write the report to");
  const options: RunBacktestOptions = {
    data: resolve(args.data),
    window: { from: time("--from", args.from), to: time("--to", args.to) },
    strategy: args.strategy,
    params: parseJsonOption("--params", args.params),
    baselines: !args.noBaselines,
    capital: number("--capital", args.capital),
    gas: args.gasGwei === "" ? undefined : { gasPriceGwei: number("--gas-gwei", args.gasGwei)! },
    numeraire: numeraire(args.numeraire),
  };
  if (args.sweep !== "") {
    const match = /^([A-Za-z]\w*)=(.+)$/.exec(args.sweep);
    if (match === null)
      throw new BacktestInputError(
        "--sweep",
        `expected <param>=<v1,v2,...> (e.g. width=0.6,0.8,0.9), got "${args.sweep}"`,
      );
    const values = match[2]!.split(",").map((v) => parseJsonOption("--sweep", v.trim()));
    const sweep = runSweep({ ...options, param: match[1]!, values });
    const { value: best, params } = sweep.rows[sweep.best]!;
    const result = runBacktest({ ...options, params });
    console.log(
      `Sweep of ${sweep.param} for ${sweep.strategy} (${sweep.rows.length} runs), net against holding:`,
    );
    console.log(formatSweepTable(sweep, result.meta.numeraire.symbol));
    console.log(`\nBest (${sweep.param} = ${JSON.stringify(best)}) against the baselines:`);
    report(result, args.out);
    return;
  }
  report(runBacktest(options), args.out);
}

function report(result: ReturnType<typeof runBacktest>, out: string) {
  console.log(formatBacktestTable(result));
  console.log(formatRiskTable(result));
  for (const line of result.meta.assumptions) console.log(`  - ${line}`);
  const files = writeReport(result, resolve(out));
  console.log(`\nReport: ${files.html}\nFigures: ${files.json}`);
}

function number(flag: string, text: string): number | undefined {
  if (text === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new BacktestInputError(flag, `expected a positive number, got "${text}"`);
  return value;
}

function time(flag: string, text: string): number | undefined {
  if (text === "") return undefined;
  const seconds = /^\d+$/.test(text)
    ? Number(text)
    : Date.parse(/Z|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`) / 1000;
  if (!Number.isFinite(seconds))
    throw new BacktestInputError(
      flag,
      `expected a UTC date (2022-07-25 or 2022-07-25T12:00) or Unix seconds, got "${text}"`,
    );
  return seconds;
}

function numeraire(text: string): 0 | 1 | undefined {
  if (text === "") return undefined;
  if (text === "token0") return 0;
  if (text === "token1") return 1;
  throw new BacktestInputError("--numeraire", `expected token0 or token1, got "${text}"`);
}
