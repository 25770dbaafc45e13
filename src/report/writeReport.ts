import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

import type { BacktestResult } from "../backtest/backtestResult.js";
import { renderReport, type RenderReportOptions } from "./renderReport.js";

export interface WrittenReport {
  html: string;
  json: string;
}

/**
 * Writes `report.html` (self-contained, charts inline) and `result.json` (the same figures for machines) into
 * `outDir`, creating it; returns their paths.
 */
export function writeReport(
  result: BacktestResult,
  outDir: string,
  options: RenderReportOptions = {},
): WrittenReport {
  mkdirSync(outDir, { recursive: true });
  const html = join(outDir, "report.html");
  const json = join(outDir, "result.json");
  writeFileSync(html, renderReport(result, options));
  writeFileSync(
    json,
    `${JSON.stringify(result, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value), 2)}\n`,
  );
  return { html, json };
}
