import type { Address, Hex } from "viem";

import { CsvFile, DataFileError } from "./csvFile.js";

const COLUMNS = [
  "block_number",
  "block_timestamp",
  "tx_type",
  "transaction_hash",
  "tx_index",
  "log_index",
  "sender",
  "receipt",
  "amount0",
  "amount1",
  "total_liquidity",
  "total_liquidity_delta",
  "sqrtPriceX96",
  "current_tick",
  "tick_lower",
  "tick_upper",
  "liquidity",
];

const TYPES = ["SWAP", "MINT", "BURN", "COLLECT"] as const;

/**
 * One row of a `pool.tick.csv` (events decoded by demeter-fetch), as the file has it. For a SWAP, sqrtPriceX96,
 * currentTick and totalLiquidity are the event's own; for the other types they are the pool's state the
 * tool attached. `sender` is the Swap/Mint sender, the Burn/Collect owner; a Mint's owner is not recorded.
 */
export interface PoolTickRow {
  blockNumber: bigint;
  timestamp: number;
  txType: (typeof TYPES)[number];
  transactionHash: Hex;
  transactionIndex: number;
  logIndex: number;
  sender: Address;
  /** Swap recipient or Collect recipient; null for Mint and Burn. */
  receipt: Address | null;
  amount0: bigint;
  amount1: bigint;
  totalLiquidity: bigint;
  totalLiquidityDelta: bigint;
  sqrtPriceX96: bigint;
  currentTick: number;
  tickLower: number | null;
  tickUpper: number | null;
  /** Liquidity minted or burned; null for Swap and Collect. */
  liquidity: bigint | null;
}

/** Reads a `pool.tick.csv` in file order (block, then log index). */
export function readPoolTickCsv(path: string): PoolTickRow[] {
  const file = new CsvFile(path, COLUMNS);
  const rows: PoolTickRow[] = [];
  for (let i = 0; i < file.rowCount; i++) {
    const row = file.row(i);
    const txType = row.text("tx_type") as PoolTickRow["txType"];
    if (!TYPES.includes(txType)) {
      throw new DataFileError(
        path,
        `line ${row.line}, column tx_type: expected one of ${TYPES.join(", ")}, got ${JSON.stringify(txType)}`,
      );
    }
    rows.push({
      blockNumber: row.bigint("block_number"),
      timestamp: row.timestamp("block_timestamp"),
      txType,
      transactionHash: row.hex("transaction_hash"),
      transactionIndex: row.integer("tx_index"),
      logIndex: row.integer("log_index"),
      sender: row.hex("sender"),
      receipt: row.optionalText("receipt") === null ? null : row.hex("receipt"),
      amount0: row.bigint("amount0"),
      amount1: row.bigint("amount1"),
      totalLiquidity: row.bigint("total_liquidity"),
      totalLiquidityDelta: row.bigint("total_liquidity_delta"),
      sqrtPriceX96: row.bigint("sqrtPriceX96"),
      currentTick: row.integer("current_tick"),
      tickLower: row.optionalInteger("tick_lower"),
      tickUpper: row.optionalInteger("tick_upper"),
      liquidity: row.optionalBigint("liquidity"),
    });
  }
  return rows;
}
