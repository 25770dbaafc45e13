import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";

import { readMinuteBarsCsv, type MinuteBar } from "../data/readMinuteBarsCsv.js";
import { readRawLogsCsv } from "../data/readRawLogsCsv.js";
import { decodePoolLog } from "../uniswap/decodePoolLog.js";
import type { PoolEvent } from "../uniswap/poolEvent.js";
import type { TokenInfo } from "./backtestResult.js";
import { BacktestInputError } from "./errors.js";

interface LoadedCommon {
  /** The folder or file the data came from. */
  source: string;
  fee: number;
  tickSpacing: number;
  token0: TokenInfo;
  token1: TokenInfo;
  start: number;
  end: number;
}

/** A day (or any span) of a pool's events, replayed swap by swap. */
export interface SwapEventData extends LoadedCommon {
  kind: "swaps";
  events: PoolEvent[];
}

/** Minute bars: a price and volume path without a tick map. */
export interface MinuteBarData extends LoadedCommon {
  kind: "minute-bars";
  bars: MinuteBar[];
}

export type BacktestData = SwapEventData | MinuteBarData;

export interface LoadBacktestDataOptions {
  /** Keep only what lies in [from, to] (Unix seconds). */
  from?: number;
  to?: number;
  /** The pool's fee tier (hundredths of a bp) when the folder's name does not tell it. */
  fee?: number;
}

const TICK_SPACING: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10_000: 200 };
const FEE_IN_NAME: Record<string, number> = { "001": 100, "005": 500, "03": 3000, "1": 10_000 };
const DECIMALS: Record<string, number> = { usdc: 6, usdt: 6, dai: 18, weth: 18, eth: 18, wbtc: 8 };
// Polygon's USDC/WETH 0.05 % pool, named by address in its day files.
const KNOWN_POOLS: Record<string, { name: string }> = {
  "0x45dda9cb7c25131df268515131f647d726f50608": { name: "polygon-usdc-weth-005" },
};

/**
 * Reads recorded pool history for a backtest: a folder or a `raw.csv` of pool logs (decoded with viem, replayed
 * swap by swap), or a folder or file of minute bars (mainnet `minute.csv`, Polygon day files). The pool's tokens
 * and fee tier come from the folder's name (`<chain>-<token0>-<token1>-<fee>-…`, e.g. mainnet-usdc-weth-005-…)
 * or, for the fee, from `options.fee`. Throws BacktestInputError (or the reader's DataFileError, naming file,
 * line and column) with what was expected.
 */
export function loadBacktestData(path: string, options: LoadBacktestDataOptions = {}): BacktestData {
  if (!existsSync(path))
    throw new BacktestInputError(
      "data",
      `${path} does not exist: expected a folder or a CSV file of recorded pool history (raw.csv of pool logs, or minute bars)`,
    );
  const isFolder = statSync(path).isDirectory();
  const folder = isFolder ? path : dirname(path);
  const pool = poolFromName(
    isFolder ? basename(path) : `${basename(folder)} ${basename(path)}`,
    options.fee,
    path,
  );

  let files: string[];
  let kind: BacktestData["kind"];
  if (isFolder) {
    const csv = readdirSync(path)
      .filter((f) => f.endsWith(".csv"))
      .sort();
    if (csv.includes("raw.csv")) [kind, files] = ["swaps", [join(path, "raw.csv")]];
    else {
      const bars = csv.filter(
        (f) => f === "minute.csv" || /^[A-Za-z]+-0x[0-9a-fA-F]{40}-\d{4}-\d\d-\d\d\.csv$/.test(f),
      );
      if (bars.length === 0)
        throw new BacktestInputError(
          "data",
          `${path} holds neither raw.csv (pool logs) nor minute-bar files (minute.csv, <Chain>-<pool>-<date>.csv)`,
        );
      [kind, files] = ["minute-bars", bars.map((f) => join(path, f))];
    }
  } else {
    const header = readFileSync(path, "utf8").split(/\r?\n/, 1)[0] ?? "";
    kind = header.split(",").includes("topics") ? "swaps" : "minute-bars";
    files = [path];
  }
  const inWindow = (t: number) =>
    (options.from === undefined || t >= options.from) && (options.to === undefined || t <= options.to);
  const window = `[${options.from ?? "start"}, ${options.to ?? "end"}]`;

  if (kind === "swaps") {
    const events = readRawLogsCsv(files[0]!)
      .map((log) => decodePoolLog(log))
      .filter((e): e is PoolEvent => e !== null && e.timestamp !== null && inWindow(e.timestamp));
    if (!events.some((e) => e.type === "swap"))
      throw new BacktestInputError("window", `no swap of ${files[0]} falls in the window ${window}`);
    return {
      kind,
      source: path,
      ...pool,
      events,
      start: events[0]!.timestamp!,
      end: events.at(-1)!.timestamp!,
    };
  }
  const bars = files
    .flatMap((file) => readMinuteBarsCsv(file))
    .filter((bar) => inWindow(bar.timestamp))
    .sort((a, b) => a.timestamp - b.timestamp);
  if (bars.length < 2)
    throw new BacktestInputError(
      "window",
      `${bars.length === 0 ? "no" : "only one"} minute bar of ${path} falls in the window ${window}: expected at least two`,
    );
  return { kind, source: path, ...pool, bars, start: bars[0]!.timestamp, end: bars.at(-1)!.timestamp + 60 };
}

function poolFromName(name: string, fee: number | undefined, path: string) {
  const address = /0x[0-9a-fA-F]{40}/.exec(name)?.[0]?.toLowerCase();
  const known = address === undefined ? undefined : KNOWN_POOLS[address];
  const match = /([a-z]+)-([a-z]+)-(001|005|03|1)(?:-|$|\s)/i.exec(known?.name ?? name);
  const tier = fee ?? (match ? FEE_IN_NAME[match[3]!] : undefined);
  if (tier === undefined || TICK_SPACING[tier] === undefined)
    throw new BacktestInputError(
      "fee",
      `cannot tell the pool's fee tier from ${path}: name the folder <chain>-<token0>-<token1>-<fee>-… (fee 001, 005, 03 or 1) or pass fee (100, 500, 3000 or 10000)`,
    );
  const token = (symbol: string | undefined, fallback: string): TokenInfo => {
    const s = symbol?.toLowerCase();
    return s !== undefined && DECIMALS[s] !== undefined
      ? { symbol: s === "weth" ? "WETH" : s.toUpperCase(), decimals: DECIMALS[s] }
      : { symbol: fallback, decimals: 0 };
  };
  return {
    fee: tier,
    tickSpacing: TICK_SPACING[tier]!,
    token0: token(match?.[1], "token0"),
    token1: token(match?.[2], "token1"),
  };
}
