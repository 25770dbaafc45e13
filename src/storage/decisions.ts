import type { Hash } from "viem";

import { fromJson, toJson } from "./json.js";
import type { KeeperDatabase } from "./openKeeperDatabase.js";

/** rebalance: the strategy wants a move; hold: it does not; blocked: it wants one but a risk limit or the in-flight rule forbids it. */
export type DecisionAction = "rebalance" | "hold" | "blocked";

export interface DecisionRow {
  id: number;
  vault: string;
  blockNumber: bigint;
  blockHash: Hash;
  strategy: string;
  action: DecisionAction;
  reasons: string[];
  plan: unknown;
  latencyMs: number;
}

export type RecordDecisionParameters = Omit<DecisionRow, "id">;

/** Records a decision with its reasons (and the plan, when there is one); returns its id. */
export function recordDecision(db: KeeperDatabase, d: RecordDecisionParameters): number {
  const row = db.sqlite
    .prepare(
      `INSERT INTO decisions (vault, block_number, block_hash, strategy, action, reasons, plan, latency_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(
      d.vault,
      Number(d.blockNumber),
      d.blockHash,
      d.strategy,
      d.action,
      JSON.stringify(d.reasons),
      d.plan === null || d.plan === undefined ? null : toJson(d.plan),
      d.latencyMs,
      Date.now(),
    ) as { id: number };
  return row.id;
}

/** A vault's decisions, oldest first. */
export function decisionsOf(db: KeeperDatabase, vault: string): DecisionRow[] {
  return (
    db.sqlite.prepare("SELECT * FROM decisions WHERE vault = ? ORDER BY id").all(vault) as Record<
      string,
      unknown
    >[]
  ).map((row) => ({
    id: row.id as number,
    vault: row.vault as string,
    blockNumber: BigInt(row.block_number as number),
    blockHash: row.block_hash as Hash,
    strategy: row.strategy as string,
    action: row.action as DecisionAction,
    reasons: JSON.parse(row.reasons as string) as string[],
    plan: row.plan === null ? null : fromJson(row.plan as string),
    latencyMs: row.latency_ms as number,
  }));
}
