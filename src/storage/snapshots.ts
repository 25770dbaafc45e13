import type { Hash } from "viem";

import { fromJson, toJson } from "./json.js";
import type { KeeperDatabase } from "./openKeeperDatabase.js";
import { statement } from "./statement.js";

export interface SnapshotRow<T = unknown> {
  id: number;
  vault: string;
  blockNumber: bigint;
  blockHash: Hash;
  blockTimestamp: bigint;
  orphaned: boolean;
  data: T;
}

export interface SaveSnapshotParameters {
  vault: string;
  blockNumber: bigint;
  blockHash: Hash;
  blockTimestamp: bigint;
  /** Any JSON-able value; bigints survive the round trip. */
  data: unknown;
}

/** Stores one vault's snapshot of one block; saving the same block again (a re-read) replaces it. */
export function saveSnapshot(db: KeeperDatabase, s: SaveSnapshotParameters): number {
  const row = statement(
    db,
    `INSERT INTO snapshots (vault, block_number, block_hash, block_timestamp, data, created_at)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (vault, block_hash) DO UPDATE SET data = excluded.data, orphaned = 0
       RETURNING id`,
  ).get(
    s.vault,
    Number(s.blockNumber),
    s.blockHash,
    Number(s.blockTimestamp),
    toJson(s.data),
    Date.now(),
  ) as { id: number };
  return row.id;
}

/** Marks every snapshot read at blocks from `fromBlock` on as orphaned (a reorg replaced those blocks). */
export function orphanSnapshots(db: KeeperDatabase, fromBlock: bigint): number {
  return Number(
    statement(db, "UPDATE snapshots SET orphaned = 1 WHERE block_number >= ? AND orphaned = 0").run(
      Number(fromBlock),
    ).changes,
  );
}

/** Deletes every vault's snapshots of blocks below `belowBlock` (retention); returns how many went. */
export function pruneSnapshots(db: KeeperDatabase, belowBlock: bigint): number {
  return Number(
    statement(db, "DELETE FROM snapshots WHERE block_number < ?").run(Number(belowBlock)).changes,
  );
}

/** A vault's newest snapshot on the canonical chain, or null. */
export function latestSnapshot<T = unknown>(db: KeeperDatabase, vault: string): SnapshotRow<T> | null {
  const row = statement(
    db,
    "SELECT * FROM snapshots WHERE vault = ? AND orphaned = 0 ORDER BY block_number DESC, id DESC LIMIT 1",
  ).get(vault) as Record<string, unknown> | undefined;
  return row === undefined ? null : toSnapshotRow<T>(row);
}

/** The block of a vault's first snapshot on the canonical chain (where its measured history starts), or undefined. */
export function firstSnapshotBlock(db: KeeperDatabase, vault: string): bigint | undefined {
  const row = statement(
    db,
    "SELECT MIN(block_number) AS first FROM snapshots WHERE vault = ? AND orphaned = 0",
  ).get(vault) as { first: number | null };
  return row.first === null ? undefined : BigInt(row.first);
}

/** A vault's snapshots in block order, orphaned ones included (flagged). */
export function snapshotsOf<T = unknown>(db: KeeperDatabase, vault: string): SnapshotRow<T>[] {
  return (
    statement(db, "SELECT * FROM snapshots WHERE vault = ? ORDER BY block_number, id").all(vault) as Record<
      string,
      unknown
    >[]
  ).map((row) => toSnapshotRow<T>(row));
}

function toSnapshotRow<T>(row: Record<string, unknown>): SnapshotRow<T> {
  return {
    id: row.id as number,
    vault: row.vault as string,
    blockNumber: BigInt(row.block_number as number),
    blockHash: row.block_hash as Hash,
    blockTimestamp: BigInt(row.block_timestamp as number),
    orphaned: row.orphaned === 1,
    data: fromJson<T>(row.data as string),
  };
}
