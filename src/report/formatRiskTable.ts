import Table from "cli-table3";

import type { BacktestResult } from "../backtest/backtestResult.js";

const percent = (x: number) => `${(x * 100).toFixed(2)} %`;

/** Predicted (closed form, measured σ) against realised VaR and CVaR of every run, shares of value. */
export function formatRiskTable(result: BacktestResult): string {
  const first = result.runs.find((r) => r.risk !== null)?.risk;
  const horizon = first
    ? `${(first.horizonSeconds / 3600).toFixed(0)} h, ${(first.confidence * 100).toFixed(0)} %`
    : "";
  const table = new Table({
    head: ["run", `VaR pred. (${horizon})`, "VaR real.", "CVaR pred.", "CVaR real.", "exceed.", "windows"],
    colAligns: ["left", "right", "right", "right", "right", "right", "right"],
    style: { head: [], border: [] },
  });
  for (const run of result.runs) {
    const r = run.risk;
    if (r === null) table.push([run.name, "—", "—", "—", "—", "—", "0"]);
    else
      table.push([
        run.name,
        percent(r.predictedVaR),
        percent(r.realisedVaR),
        percent(r.predictedCVaR),
        percent(r.realisedCVaR),
        percent(r.exceedanceRate),
        String(r.windows),
      ]);
  }
  return table.toString();
}
