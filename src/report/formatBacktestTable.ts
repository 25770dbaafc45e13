import Table from "cli-table3";

import type { BacktestResult } from "../backtest/backtestResult.js";

const money = (x: number) =>
  x.toLocaleString("en-US", { maximumFractionDigits: x !== 0 && Math.abs(x) < 10 ? 3 : 0 });
const percent = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;

/**
 * The P&L attribution of every run as a terminal table: fees, IL, LVR, gas, swap costs and net against holding
 * (numeraire units), time in range, rebalances, drawdown and mean drift.
 */
export function formatBacktestTable(result: BacktestResult): string {
  const unit = result.meta.numeraire.symbol;
  const table = new Table({
    head: [
      "run",
      `fees`,
      `IL`,
      `LVR`,
      `gas`,
      `swap`,
      `net (${unit})`,
      "net %",
      "in range",
      "rebal.",
      "max DD",
      "|drift|",
    ],
    colAligns: ["left", ...Array<"right">(11).fill("right")],
    style: { head: [], border: [] },
  });
  for (const run of result.runs) {
    const a = run.attribution;
    table.push([
      run.name,
      money(a.fees),
      money(a.impermanentLoss),
      money(a.lvr),
      money(a.gas),
      money(a.swapCost),
      money(a.net),
      percent(a.net / run.startValue, 2),
      run.role === "hold" ? "—" : percent(run.timeInRange),
      String(run.rebalances),
      percent(run.maxDrawdown, 2),
      percent(run.meanAbsDrift),
    ]);
  }
  return table.toString();
}
