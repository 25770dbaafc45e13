import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { DatabaseSync } from "node:sqlite";

import { inTransaction } from "./inTransaction.js";
import { MIGRATIONS } from "./migrations.js";

/** The keeper's SQLite file, opened and migrated. Every storage function takes it as first argument. */
export interface KeeperDatabase {
  readonly path: string;
  readonly sqlite: DatabaseSync;
  /** Schema version after migration. */
  readonly version: number;
  close(): void;
}

export class DatabaseNewerThanKeeperError extends Error {
  constructor(path: string, version: number) {
    super(
      `The database ${path} is at schema version ${version}, newer than this keeper knows (${MIGRATIONS.length}); ` +
        `run the keeper version that wrote it, or point database.path at another file`,
    );
    this.name = "DatabaseNewerThanKeeperError";
  }
}

export interface OpenKeeperDatabaseParameters {
  path: string;
}

/**
 * Opens (creating folder and file if needed) and migrates the keeper's database. WAL with synchronous=FULL:
 * a journaled transaction is on disk before it is broadcast, so a crash right after cannot lose it.
 */
export function openKeeperDatabase({ path }: OpenKeeperDatabaseParameters): KeeperDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new DatabaseSync(path);
  try {
    sqlite.exec(
      "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
    );
    const current = (sqlite.prepare("PRAGMA user_version").get() as { user_version: number }).user_version;
    if (current > MIGRATIONS.length) throw new DatabaseNewerThanKeeperError(path, current);
    for (let version = current; version < MIGRATIONS.length; version++) {
      inTransaction({ sqlite }, () => {
        sqlite.exec(MIGRATIONS[version]!);
        sqlite.exec(`PRAGMA user_version = ${version + 1}`);
      });
    }
  } catch (error) {
    sqlite.close();
    throw error;
  }
  return {
    path,
    sqlite,
    version: MIGRATIONS.length,
    close: () => {
      if (sqlite.isOpen) sqlite.close();
    },
  };
}
