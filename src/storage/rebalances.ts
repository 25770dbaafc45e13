import type { Hash } from "viem";

import { fromJson, toJson } from "./json.js";
import type { KeeperDatabase } from "./openKeeperDatabase.js";
import { statement } from "./statement.js";

export interface RebalanceRow {
  id: number;
  vault: string;
  decisionId: number | null;
  txHash: Hash;
  blockNumber: bigint;
  blockTimestamp: bigint;
  gasUsed: bigint;
  gasCostWei: bigint;
  /** Further measured costs (swap cost, slippage, …) as the analytics library reports them. */
  costs: Record<string, unknown>;
  /** Unix ms when recorded. */
  createdAt: number;
}

export type RecordRebalanceParameters = Omit<RebalanceRow, "id" | "createdAt">;

/** Records a mined rebalance with its measured costs; recording the same transaction twice keeps the first. */
export function recordRebalance(db: KeeperDatabase, r: RecordRebalanceParameters): void {
  statement(
    db,
    `INSERT INTO rebalances (vault, decision_id, tx_hash, block_number, block_timestamp, gas_used, gas_cost_wei, costs, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tx_hash) DO NOTHING`,
  ).run(
    r.vault,
    r.decisionId,
    r.txHash,
    Number(r.blockNumber),
    Number(r.blockTimestamp),
    r.gasUsed.toString(),
    r.gasCostWei.toString(),
    toJson(r.costs),
    Date.now(),
  );
}

/** A vault's rebalances, oldest first. */
export function rebalancesOf(db: KeeperDatabase, vault: string): RebalanceRow[] {
  return (
    statement(db, "SELECT * FROM rebalances WHERE vault = ? ORDER BY id").all(vault) as Record<
      string,
      unknown
    >[]
  ).map((row) => ({
    id: row.id as number,
    vault: row.vault as string,
    decisionId: row.decision_id as number | null,
    txHash: row.tx_hash as Hash,
    blockNumber: BigInt(row.block_number as number),
    blockTimestamp: BigInt(row.block_timestamp as number),
    gasUsed: BigInt(row.gas_used as string),
    gasCostWei: BigInt(row.gas_cost_wei as string),
    costs: fromJson<Record<string, unknown>>(row.costs as string),
    createdAt: row.created_at as number,
  }));
}
