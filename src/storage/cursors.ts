import type { Hash } from "viem";

import type { KeeperDatabase } from "./openKeeperDatabase.js";
import { statement } from "./statement.js";

export interface Cursor {
  blockNumber: bigint;
  blockHash: Hash;
}

/** Remembers the last block a named consumer (e.g. the keeper loop) finished. */
export function saveCursor(db: KeeperDatabase, name: string, cursor: Cursor): void {
  statement(
    db,
    `INSERT INTO cursors (name, block_number, block_hash, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET block_number = excluded.block_number, block_hash = excluded.block_hash, updated_at = excluded.updated_at`,
  ).run(name, Number(cursor.blockNumber), cursor.blockHash, Date.now());
}

export function readCursor(db: KeeperDatabase, name: string): Cursor | null {
  const row = statement(db, "SELECT block_number, block_hash FROM cursors WHERE name = ?").get(name) as
    { block_number: number; block_hash: Hash } | undefined;
  return row === undefined ? null : { blockNumber: BigInt(row.block_number), blockHash: row.block_hash };
}
