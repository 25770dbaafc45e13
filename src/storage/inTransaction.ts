import type { KeeperDatabase } from "./openKeeperDatabase.js";

/** Runs `body` in one SQLite transaction: all of its writes land, or none do. */
export function inTransaction<T>(db: Pick<KeeperDatabase, "sqlite">, body: () => T): T {
  db.sqlite.exec("BEGIN IMMEDIATE");
  try {
    const result = body();
    db.sqlite.exec("COMMIT");
    return result;
  } catch (error) {
    db.sqlite.exec("ROLLBACK");
    throw error;
  }
}
