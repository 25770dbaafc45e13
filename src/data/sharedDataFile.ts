import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export class SharedDataMissingError extends Error {
  constructor(path: string, dir: string) {
    super(`recorded data ${path} is missing: put the shared data folder at ${dir} or set RANGEKEEPER_DATA`);
    this.name = "SharedDataMissingError";
  }
}

/** The shared real-data folder: $RANGEKEEPER_DATA, or ../shared/data beside the repository (CI has it there too). */
export function sharedDataDir(): string {
  return (
    process.env.RANGEKEEPER_DATA ?? resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/data")
  );
}

/** A file of the shared data folder; throws SharedDataMissingError, saying where it was looked for, if absent. */
export function sharedDataFile(...parts: string[]): string {
  const dir = sharedDataDir();
  const path = join(dir, ...parts);
  if (!existsSync(path)) throw new SharedDataMissingError(path, dir);
  return path;
}
