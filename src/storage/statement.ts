import type { DatabaseSync, StatementSync } from "node:sqlite";

import type { KeeperDatabase } from "./openKeeperDatabase.js";

const prepared = new WeakMap<DatabaseSync, Map<string, StatementSync>>();

/**
 * The database's prepared statement for `sql`, compiled once and reused: the keeper writes a decision and a
 * snapshot per vault per block, and compiling their SQL each time cost as much as the writes. Statements
 * are finalised when the database closes.
 */
export function statement(db: Pick<KeeperDatabase, "sqlite">, sql: string): StatementSync {
  let statements = prepared.get(db.sqlite);
  if (statements === undefined) prepared.set(db.sqlite, (statements = new Map()));
  let s = statements.get(sql);
  if (s === undefined) statements.set(sql, (s = db.sqlite.prepare(sql)));
  return s;
}
