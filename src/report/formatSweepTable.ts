import Table from "cli-table3";

import type { SweepResult } from "../backtest/runSweep.js";

const money = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: Math.abs(x) < 10 ? 3 : 0 });
const percent = (x: number, digits = 1) => `${(x * 100).toFixed(digits)} %`;

/** One row per swept value: the P&L attribution, time in range and rebalances; the best net marked ★. */
export function formatSweepTable(sweep: SweepResult, unit: string): string {
  const table = new Table({
    head: [
      sweep.param,
      "fees",
      "IL",
      "LVR",
      "gas",
      "swap",
      `net (${unit})`,
      "in range",
      "rebal.",
      "max DD",
      "",
    ],
    colAligns: ["left", ...Array<"right">(9).fill("right"), "left"],
    style: { head: [], border: [] },
  });
  for (const [i, { value, run }] of sweep.rows.entries()) {
    const a = run.attribution;
    table.push([
      JSON.stringify(value),
      money(a.fees),
      money(a.impermanentLoss),
      money(a.lvr),
      money(a.gas),
      money(a.swapCost),
      money(a.net),
      percent(run.timeInRange),
      String(run.rebalances),
      percent(run.maxDrawdown, 2),
      i === sweep.best ? "★ best" : "",
    ]);
  }
  return table.toString();
}
