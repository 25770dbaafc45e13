import type { Hash } from "viem";

import { fromJson, toJson } from "./json.js";
import type { KeeperDatabase } from "./openKeeperDatabase.js";
import { statement } from "./statement.js";

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
  /** A pure strategy's trigger ("out-of-range", "drift", …), its economic check, and the memory it returned. */
  trigger: string | null;
  economics: unknown;
  memory: unknown;
  latencyMs: number;
}

export type RecordDecisionParameters = Omit<DecisionRow, "id" | "trigger" | "economics" | "memory"> &
  Partial<Pick<DecisionRow, "trigger" | "economics" | "memory">>;

/** Records a decision with its reasons (and the plan, when there is one); returns its id. */
export function recordDecision(db: KeeperDatabase, d: RecordDecisionParameters): number {
  const row = statement(
    db,
    `INSERT INTO decisions (vault, block_number, block_hash, strategy, action, reasons, plan, trigger, economics, memory,
         latency_ms, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  ).get(
    d.vault,
    Number(d.blockNumber),
    d.blockHash,
    d.strategy,
    d.action,
    JSON.stringify(d.reasons),
    d.plan === null || d.plan === undefined ? null : toJson(d.plan),
    d.trigger ?? null,
    d.economics === null || d.economics === undefined ? null : toJson(d.economics),
    d.memory === undefined ? null : toJson(d.memory),
    d.latencyMs,
    Date.now(),
  ) as { id: number };
  return row.id;
}

/** One decision by id, or null. */
export function decisionById(db: KeeperDatabase, id: number): DecisionRow | null {
  const row = statement(db, "SELECT * FROM decisions WHERE id = ?").get(id) as
    Record<string, unknown> | undefined;
  return row === undefined ? null : toDecisionRow(row);
}

/** A vault's decisions, oldest first. */
export function decisionsOf(db: KeeperDatabase, vault: string): DecisionRow[] {
  return (
    statement(db, "SELECT * FROM decisions WHERE vault = ? ORDER BY id").all(vault) as Record<
      string,
      unknown
    >[]
  ).map(toDecisionRow);
}

function toDecisionRow(row: Record<string, unknown>): DecisionRow {
  return {
    id: row.id as number,
    vault: row.vault as string,
    blockNumber: BigInt(row.block_number as number),
    blockHash: row.block_hash as Hash,
    strategy: row.strategy as string,
    action: row.action as DecisionAction,
    reasons: JSON.parse(row.reasons as string) as string[],
    plan: row.plan === null ? null : fromJson(row.plan as string),
    trigger: row.trigger as string | null,
    economics: row.economics === null ? null : fromJson(row.economics as string),
    memory: row.memory === null ? null : fromJson(row.memory as string),
    latencyMs: row.latency_ms as number,
  };
}
