import { CsvFile } from "./csvFile.js";

const COLUMNS = [
  "timestamp",
  "netAmount0",
  "netAmount1",
  "closeTick",
  "openTick",
  "lowestTick",
  "highestTick",
  "inAmount0",
  "inAmount1",
  "currentLiquidity",
];

/**
 * One minute of a pool: its tick range and close, net and gross token flows, and active liquidity. As
 * recorded, a Polygon file's closeTick falls outside [lowestTick, highestTick] in about 7 % of minutes.
 */
export interface MinuteBar {
  /** Start of the minute, Unix seconds. */
  timestamp: number;
  openTick: number;
  highestTick: number;
  lowestTick: number;
  closeTick: number;
  /** Signed net flow into the pool in the minute (raw units). */
  netAmount0: bigint;
  netAmount1: bigint;
  /** Gross swap inflow in the minute: the volume in each token. */
  inAmount0: bigint;
  inAmount1: bigint;
  currentLiquidity: bigint;
}

/**
 * Reads a minute-bar CSV: the mainnet days' `minute.csv` and the Polygon day files
 * (`Polygon-<pool>-<date>.csv`) share these columns.
 */
export function readMinuteBarsCsv(path: string): MinuteBar[] {
  const file = new CsvFile(path, COLUMNS);
  const bars: MinuteBar[] = [];
  for (let i = 0; i < file.rowCount; i++) {
    const row = file.row(i);
    bars.push({
      timestamp: row.timestamp("timestamp"),
      openTick: row.integer("openTick"),
      highestTick: row.integer("highestTick"),
      lowestTick: row.integer("lowestTick"),
      closeTick: row.integer("closeTick"),
      netAmount0: row.bigint("netAmount0"),
      netAmount1: row.bigint("netAmount1"),
      inAmount0: row.bigint("inAmount0"),
      inAmount1: row.bigint("inAmount1"),
      currentLiquidity: row.bigint("currentLiquidity"),
    });
  }
  return bars;
}
