import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import type { BacktestResult } from "../backtest/backtestResult.js";

const require = createRequire(import.meta.url);
const KIND_LABELS: Record<BacktestResult["meta"]["kind"], string> = {
  swaps: "swap by swap",
  "minute-bars": "minute bars",
  "price-path": "a price path replayed into the pool",
};

export interface RenderReportOptions {
  /** Page title; default names the strategy and the data. */
  title?: string;
  /** Inventory band drawn around the target share (± this), default the strategy's driftBand or 0.15. */
  driftBand?: number;
}

/** The chart library, inlined so the file opens with no network. */
function chartLibrary(): string {
  // The package exports no path to its UMD build; it sits beside the CommonJS entry.
  return readFileSync(join(dirname(require.resolve("chart.js")), "chart.umd.min.js"), "utf8");
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!,
  );

/**
 * A self-contained HTML report of a backtest (or of the demo's recorded run): price with the vault's ranges,
 * value of the vault against holding, the full range and the passive baseline, the P&L attribution as a
 * waterfall and per run, inventory share with its target band; the attribution, risk and rebalance tables; the
 * stated assumptions. Chart.js and all data are inlined: the file needs no network. `window.reportReady` turns
 * true once every chart has drawn (the browser test waits for it).
 */
export function renderReport(result: BacktestResult, options: RenderReportOptions = {}): string {
  const strategy = result.runs[0]!;
  const params = result.meta.strategy.params as { driftBand?: unknown } | null;
  const band = options.driftBand ?? (typeof params?.driftBand === "number" ? params.driftBand : 0.15);
  const title =
    options.title ??
    `rangekeeper backtest: ${result.meta.strategy.name} on ${result.meta.source.split("/").pop()}`;
  const unit = result.meta.numeraire.symbol;
  const fmt = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: Math.abs(x) < 10 ? 3 : 0 });
  const pct = (x: number, d = 2) => `${(x * 100).toFixed(d)} %`;
  const rows = result.runs
    .map((run) => {
      const a = run.attribution;
      return `<tr><td>${escapeHtml(run.name)}</td><td>${fmt(a.fees)}</td><td>${fmt(a.impermanentLoss)}</td><td>${fmt(a.lvr)}</td><td>${fmt(a.gas)}</td><td>${fmt(a.swapCost)}</td><td><b>${fmt(a.net)}</b></td><td>${pct(a.net / run.startValue)}</td><td>${run.role === "hold" ? "—" : pct(run.timeInRange, 1)}</td><td>${run.rebalances}</td><td>${pct(run.maxDrawdown)}</td><td>${pct(run.meanAbsDrift, 1)}</td></tr>`;
    })
    .join("\n");
  const riskRows = result.runs
    .map((run) => {
      const r = run.risk;
      return r === null
        ? `<tr><td>${escapeHtml(run.name)}</td><td colspan="6">no window</td></tr>`
        : `<tr><td>${escapeHtml(run.name)}</td><td>${pct(r.predictedVaR)}</td><td>${pct(r.realisedVaR)}</td><td>${pct(r.predictedCVaR)}</td><td>${pct(r.realisedCVaR)}</td><td>${pct(r.exceedanceRate, 1)}</td><td>${r.windows}</td></tr>`;
    })
    .join("\n");
  const log = strategy.rebalanceLog
    .slice(0, 200)
    .map(
      (r) =>
        `<tr><td>${new Date(r.timestamp * 1000).toISOString().replace("T", " ").slice(0, 19)}</td><td>${r.trigger ?? ""}</td><td>${r.reverted === null ? `[${r.baseLower}, ${r.baseUpper}] / [${r.limitLower}, ${r.limitUpper}]` : `reverted: ${escapeHtml(r.reverted)}`}</td><td>${fmt(r.gasCost)}</td><td>${fmt(r.swapCost)}</td><td>${escapeHtml(r.reasons.join("; "))}</td></tr>`,
    )
    .join("\n");
  const risk = result.runs.find((r) => r.risk !== null)?.risk;
  // JSON inside <script> must not close the tag early.
  const data = JSON.stringify({ result, band, unit }).replace(/</g, "\\u003c");
  const start = new Date(result.meta.start * 1000).toISOString().slice(0, 16).replace("T", " ");
  const end = new Date(result.meta.end * 1000).toISOString().slice(0, 16).replace("T", " ");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1200px; color: #1b1f24; padding: 0 16px; }
  h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
  .sub { color: #57606a; margin-top: 0; }
  .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
  .card { border: 1px solid #d0d7de; border-radius: 8px; padding: 12px; background: #fff; }
  .card.wide { grid-column: 1 / span 2; }
  .card h3 { margin: 0 0 8px; font-size: 15px; }
  canvas { width: 100% !important; height: 300px !important; }
  table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
  th, td { border-bottom: 1px solid #eaeef2; padding: 4px 8px; text-align: right; }
  th:first-child, td:first-child { text-align: left; }
  .log td:last-child { text-align: left; color: #57606a; font-size: 12px; }
  ul.assumptions { color: #57606a; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<p class="sub">${escapeHtml(KIND_LABELS[result.meta.kind])} · ${start} → ${end} UTC · ${result.meta.steps.toLocaleString("en-US")} steps ·
pool ${escapeHtml(result.meta.pool.token0.symbol)}/${escapeHtml(result.meta.pool.token1.symbol)} ${(result.meta.pool.fee / 10_000).toFixed(2)} % ·
capital ${fmt(result.meta.capital)} ${escapeHtml(unit)} · gas ${result.meta.gas.gasPriceGwei} gwei · money in ${escapeHtml(unit)}</p>

<h2>P&amp;L against holding the starting tokens (${escapeHtml(unit)})</h2>
<table id="attribution-table">
<tr><th>run</th><th>fees</th><th>IL</th><th>LVR</th><th>gas</th><th>swap</th><th>net</th><th>net %</th><th>in range</th><th>rebalances</th><th>max drawdown</th><th>mean |drift|</th></tr>
${rows}
</table>
<p class="sub">net = fees + IL − swap − gas = vault value − holding value − gas. LVR (loss against a rebalancing portfolio) measures the same adverse selection as IL against another benchmark and is not added.</p>

<div class="grid">
  <div class="card wide"><h3>Price with the vault's ranges (${escapeHtml(strategy.name)})</h3><canvas id="chart-price"></canvas></div>
  <div class="card wide"><h3>Value: vault against holding, full range and passive</h3><canvas id="chart-value"></canvas></div>
  <div class="card"><h3>P&amp;L waterfall (${escapeHtml(strategy.name)})</h3><canvas id="chart-waterfall"></canvas></div>
  <div class="card"><h3>P&amp;L attribution per run</h3><canvas id="chart-attribution"></canvas></div>
  <div class="card wide"><h3>Inventory: ${escapeHtml(result.meta.pool.token1.symbol)} share of value, target ± ${(band * 100).toFixed(0)} %</h3><canvas id="chart-inventory"></canvas></div>
</div>

<h2>Risk: predicted against realised${risk ? ` (${(risk.horizonSeconds / 3600).toFixed(0)} h, ${(risk.confidence * 100).toFixed(0)} %)` : ""}</h2>
<table id="risk-table">
<tr><th>run</th><th>VaR predicted</th><th>VaR realised</th><th>CVaR predicted</th><th>CVaR realised</th><th>exceedances</th><th>windows</th></tr>
${riskRows}
</table>
<p class="sub">Predicted: closed form under lognormal prices with the measured volatility, for the holdings at each window's start; realised: those holdings revalued at the window's end price.</p>

<h2>Rebalances of ${escapeHtml(strategy.name)} (${strategy.rebalances}${strategy.revertedRebalances > 0 ? `, ${strategy.revertedRebalances} reverted` : ""})</h2>
<table class="log" id="rebalance-log">
<tr><th>time (UTC)</th><th>trigger</th><th>base / limit</th><th>gas</th><th>swap</th><th>reasons</th></tr>
${log}
</table>

<h2>Assumptions</h2>
<ul class="assumptions">${result.meta.assumptions.map((a) => `<li>${escapeHtml(a)}</li>`).join("")}</ul>

<script>${chartLibrary()}</script>
<script type="application/json" id="report-data">${data}</script>
<script>
(function () {
  var payload = JSON.parse(document.getElementById("report-data").textContent);
  var result = payload.result, band = payload.band, unit = payload.unit;
  var runs = result.runs, strategy = runs[0];
  var colors = { strategy: "#0969da", hold: "#6e7781", "full-range": "#bf8700", passive: "#8250df" };
  var pairs = function (ts, ys) { return ts.map(function (t, i) { return { x: t * 1000, y: ys[i] }; }); };
  var timeAxis = {
    type: "linear",
    ticks: { maxTicksLimit: 8, callback: function (v) { return new Date(v).toISOString().slice(5, 16).replace("T", " "); } },
  };
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  var charts = [];
  var s = strategy.series;
  charts.push(new Chart(document.getElementById("chart-price"), {
    type: "line",
    data: { datasets: [
      { label: "base high", data: pairs(s.timestamp, s.baseHigh), borderColor: "rgba(9,105,218,0.5)", backgroundColor: "rgba(9,105,218,0.12)", fill: "+1", pointRadius: 0, borderWidth: 1, spanGaps: false },
      { label: "base low", data: pairs(s.timestamp, s.baseLow), borderColor: "rgba(9,105,218,0.5)", pointRadius: 0, borderWidth: 1, spanGaps: false },
      { label: "limit high", data: pairs(s.timestamp, s.limitHigh), borderColor: "rgba(26,127,55,0.5)", backgroundColor: "rgba(26,127,55,0.15)", fill: "+1", pointRadius: 0, borderWidth: 1, spanGaps: false },
      { label: "limit low", data: pairs(s.timestamp, s.limitLow), borderColor: "rgba(26,127,55,0.5)", pointRadius: 0, borderWidth: 1, spanGaps: false },
      { label: "price", data: pairs(s.timestamp, s.displayPrice), borderColor: "#1b1f24", pointRadius: 0, borderWidth: 1.5 },
    ] },
    options: { parsing: false, scales: { x: timeAxis, y: { title: { display: true, text: unit } } }, plugins: { legend: { position: "bottom" } } },
  }));
  charts.push(new Chart(document.getElementById("chart-value"), {
    type: "line",
    data: { datasets: runs.map(function (run) {
      return { label: run.name, data: pairs(run.series.timestamp, run.series.value), borderColor: colors[run.role], pointRadius: 0, borderWidth: run.role === "strategy" ? 2 : 1.2 };
    }) },
    options: { parsing: false, scales: { x: timeAxis, y: { title: { display: true, text: unit } } }, plugins: { legend: { position: "bottom" } } },
  }));
  var a = strategy.attribution;
  var steps = [["fees", a.fees], ["IL", a.impermanentLoss], ["swap", -a.swapCost], ["gas", -a.gas]];
  var level = 0, floating = [], stepColors = [];
  steps.forEach(function (step) { floating.push([level, level + step[1]]); stepColors.push(step[1] >= 0 ? "#1a7f37" : "#cf222e"); level += step[1]; });
  floating.push([0, a.net]); stepColors.push(a.net >= 0 ? "#0969da" : "#82071e");
  charts.push(new Chart(document.getElementById("chart-waterfall"), {
    type: "bar",
    data: { labels: ["fees", "IL", "swap", "gas", "net"], datasets: [{ label: strategy.name + " (" + unit + ")", data: floating, backgroundColor: stepColors }] },
    options: { plugins: { legend: { display: false } }, scales: { y: { title: { display: true, text: unit } } } },
  }));
  charts.push(new Chart(document.getElementById("chart-attribution"), {
    type: "bar",
    data: { labels: ["fees", "IL", "LVR", "gas", "swap", "net"], datasets: runs.map(function (run) {
      var r = run.attribution;
      return { label: run.name, data: [r.fees, r.impermanentLoss, -r.lvr, -r.gas, -r.swapCost, r.net], backgroundColor: colors[run.role] };
    }) },
    options: { plugins: { legend: { position: "bottom" } }, scales: { y: { title: { display: true, text: unit } } } },
  }));
  var target = strategy.targetShare1;
  var inventoryRuns = runs.filter(function (run) { return run.role === "strategy" || run.role === "passive"; });
  var flat = function (y) { return [{ x: s.timestamp[0] * 1000, y: y }, { x: s.timestamp[s.timestamp.length - 1] * 1000, y: y }]; };
  charts.push(new Chart(document.getElementById("chart-inventory"), {
    type: "line",
    data: { datasets: [
      { label: "band high", data: flat(target + band), borderColor: "rgba(207,34,46,0.4)", borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
      { label: "target", data: flat(target), borderColor: "#6e7781", borderDash: [2, 2], pointRadius: 0, borderWidth: 1 },
      { label: "band low", data: flat(target - band), borderColor: "rgba(207,34,46,0.4)", borderDash: [4, 4], pointRadius: 0, borderWidth: 1 },
    ].concat(inventoryRuns.map(function (run) {
      return { label: run.name, data: pairs(run.series.timestamp, run.series.share1), borderColor: colors[run.role], pointRadius: 0, borderWidth: 1.5 };
    })) },
    options: { parsing: false, scales: { x: timeAxis, y: { min: 0, max: 1, title: { display: true, text: "share of value" } } }, plugins: { legend: { position: "bottom" } } },
  }));
  window.reportCharts = charts.map(function (chart) {
    return { id: chart.canvas.id, labels: chart.data.datasets.map(function (d) { return d.label; }), points: chart.data.datasets.map(function (d) { return d.data.length; }) };
  });
  window.reportReady = true;
})();
</script>
</body>
</html>
`;
}
