import type { Hex } from "viem";

import type { RawPoolLog } from "../uniswap/decodePoolLog.js";
import { CsvFile, DataFileError } from "./csvFile.js";

const COLUMNS = [
  "block_number",
  "block_timestamp",
  "transaction_hash",
  "transaction_index",
  "log_index",
  "topics",
  "data",
];

export interface RawLogRow extends RawPoolLog {
  transactionHash: Hex;
  transactionIndex: number;
  timestamp: number;
}

/**
 * Reads a `raw.csv` of undecoded pool logs (topics written as a Python list, data as hex), in file order,
 * ready for decodePoolLog.
 */
export function readRawLogsCsv(path: string): RawLogRow[] {
  const file = new CsvFile(path, COLUMNS);
  const logs: RawLogRow[] = [];
  for (let i = 0; i < file.rowCount; i++) {
    const row = file.row(i);
    const list = row.text("topics").trim();
    const topics = list
      .replace(/^\[|\]$/g, "")
      .split(",")
      .map((topic) => topic.trim().replace(/^'|'$/g, ""))
      .filter((topic) => topic !== "");
    if (!list.startsWith("[") || topics.length === 0 || topics.some((t) => !/^0x[0-9a-fA-F]{64}$/.test(t))) {
      throw new DataFileError(
        path,
        `line ${row.line}, column topics: expected a list of 32-byte hex topics, got ${JSON.stringify(list)}`,
      );
    }
    logs.push({
      blockNumber: row.bigint("block_number"),
      timestamp: row.timestamp("block_timestamp"),
      transactionHash: row.hex("transaction_hash"),
      transactionIndex: row.integer("transaction_index"),
      logIndex: row.integer("log_index"),
      topics: topics as Hex[],
      data: row.hex("data"),
    });
  }
  return logs;
}
