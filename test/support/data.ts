import { readFileSync } from "node:fs";

import { sharedDataDir, sharedDataFile } from "../../src/data/sharedDataFile.js";

/** The shared real-data folder: ../shared/data beside the repository (CI has it there too), or $RANGEKEEPER_DATA. */
export const DATA_DIR = sharedDataDir();

export const dataFile = sharedDataFile;

/** Rows of a small CSV file as objects keyed by the header (no quoted commas in the files read this way). */
export function readCsvRows(path: string, limit = Infinity): Record<string, string>[] {
  const lines = readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "");
  const header = lines[0]!.split(",");
  return lines.slice(1, limit === Infinity ? undefined : limit + 1).map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]));
  });
}
