import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export class DatabaseLockedError extends Error {
  constructor(path: string, pid: number) {
    super(
      `${path} is in use by process ${pid} (a running keeper or vault:rebalance): two processes sending for the ` +
        `same vaults could put two rebalances of one vault in flight; stop it first, or point database.path elsewhere`,
    );
    this.name = "DatabaseLockedError";
  }
}

export interface DatabaseLock {
  release(): void;
}

/**
 * Takes `<database>.lock` for this process: only one process may decide and send from a keeper database. A
 * lock left by a process that no longer runs (killed, crashed) is taken over.
 */
export function lockDatabase(path: string): DatabaseLock {
  if (path === ":memory:") return { release: () => {} };
  mkdirSync(dirname(path), { recursive: true });
  const file = `${path}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release: () => {
          if (!released) rmSync(file, { force: true });
          released = true;
        },
      };
    } catch (error) {
      if ((error as { code?: string }).code !== "EEXIST") throw error;
      const pid = Number(readFileSync(file, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && isRunning(pid)) throw new DatabaseLockedError(path, pid);
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}
