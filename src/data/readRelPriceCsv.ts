import { CsvFile, DataFileError } from "./csvFile.js";

const COLUMNS = ["block_timestamp", "usdc", "total_liquidity", "sqrtPriceX96"];

/** One minute of `rel-price.csv`: external USD prices of the two tokens beside the pool's own state. */
export interface RelPriceRow {
  timestamp: number;
  /** USD price of USDC and of ETH from an outside source (not the pool). */
  usdc: number;
  eth: number;
  totalLiquidity: bigint;
  sqrtPriceX96: bigint;
}

/**
 * Reads a `rel-price.csv`; the external price is what realised LVR is measured against. The ETH column is
 * `eth` in some days' files and `weth` in others; either is read. Its total_liquidity is the file's own
 * derivation and is not always the pool's (a burn at a range's upper tick is counted as in range).
 */
export function readRelPriceCsv(path: string): RelPriceRow[] {
  const file = new CsvFile(path, COLUMNS);
  const eth = file.header.includes("eth") ? "eth" : "weth";
  if (!file.header.includes(eth))
    throw new DataFileError(path, `missing column eth (or weth) (header: ${file.header.join(", ")})`);
  const rows: RelPriceRow[] = [];
  for (let i = 0; i < file.rowCount; i++) {
    const row = file.row(i);
    rows.push({
      timestamp: row.timestamp("block_timestamp"),
      usdc: row.number("usdc"),
      eth: row.number(eth),
      totalLiquidity: row.bigint("total_liquidity"),
      sqrtPriceX96: row.bigint("sqrtPriceX96"),
    });
  }
  return rows;
}
