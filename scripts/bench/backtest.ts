// `npm run bench:backtest`: the time of a backtest over the full 35 days of Polygon minute bars and over the full
// 2024-01-05 swap day of USDC/WETH 0.05 %, each for the strategy alone and with its three baselines, and a sweep's
// time per parameter set. One thread (one core): each figure is the best of several runs, as wall time and as
// the process's CPU time (user + system) over the same run, which a shared machine disturbs less. Reading the
// files and rebuilding the swap day's starting state (reconstructPoolState and the checked reference replay) are
// measured apart: a process does them once and the backtests reuse them. Writes reports/bench/backtest.json.
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import Table from "cli-table3";

import { loadBacktestData } from "../../src/backtest/loadBacktestData.js";
import { marketPathOf, runBacktest } from "../../src/backtest/runBacktest.js";
import { runSweep } from "../../src/backtest/runSweep.js";
import { DATA_DIR } from "../../test/support/data.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const STRATEGY = "inventory";

interface Timing {
  wallMs: number;
  cpuMs: number;
}

/** Best wall and best CPU time of `rounds` runs of `f` (after one warm-up run). */
function time(f: () => unknown, rounds = ROUNDS): Timing {
  f();
  let best: Timing = { wallMs: Infinity, cpuMs: Infinity };
  for (let i = 0; i < rounds; i++) {
    const cpu = process.cpuUsage();
    const start = performance.now();
    f();
    const wallMs = performance.now() - start;
    const used = process.cpuUsage(cpu);
    best = {
      wallMs: Math.min(best.wallMs, wallMs),
      cpuMs: Math.min(best.cpuMs, (used.user + used.system) / 1000),
    };
  }
  return best;
}

function once(f: () => unknown): Timing {
  const cpu = process.cpuUsage();
  const start = performance.now();
  f();
  const used = process.cpuUsage(cpu);
  return { wallMs: performance.now() - start, cpuMs: (used.user + used.system) / 1000 };
}

const swapFolder = join(DATA_DIR, "mainnet-usdc-weth-005-2024-01-05");
const barFolder = join(DATA_DIR, "polygon-usdc-weth-005-minute-2022-07");

let swaps = loadBacktestData(swapFolder);
const swapRead = time(() => (swaps = loadBacktestData(swapFolder)), 2);
const swapPath = once(() => marketPathOf(swaps));
let bars = loadBacktestData(barFolder);
const barRead = time(() => (bars = loadBacktestData(barFolder)), 2);
const barPath = once(() => marketPathOf(bars));

const swapAlone = time(() => runBacktest({ data: swaps, strategy: STRATEGY, baselines: false }));
const swapAll = time(() => runBacktest({ data: swaps, strategy: STRATEGY }));
const barAlone = time(() => runBacktest({ data: bars, strategy: STRATEGY, baselines: false }));
const barAll = time(() => runBacktest({ data: bars, strategy: STRATEGY }), 3);
const values = [0.6, 0.7, 0.8, 0.9];
const sweep = time(() => runSweep({ data: bars, strategy: STRATEGY, param: "width", values }), 2);
const perSet = { wallMs: sweep.wallMs / values.length, cpuMs: sweep.cpuMs / values.length };

const targets = { minuteBars35DaysMs: 2000, swapDayMs: 500 };
const results = {
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    node: process.version,
    note: "one thread; a shared machine (other engineers' builds and tests run beside it): timings are noisy, CPU time less so",
  },
  strategy: STRATEGY,
  swapDay: {
    events: swaps.kind === "swaps" ? swaps.events.length : 0,
    steps: marketPathOf(swaps).timestamps.length,
    readAndDecodeMs: swapRead,
    rebuildStartStateAndReferenceReplayMs: swapPath,
    strategyAloneMs: swapAlone,
    withThreeBaselinesMs: swapAll,
  },
  minuteBars: {
    bars: marketPathOf(bars).timestamps.length,
    readMs: barRead,
    pathMs: barPath,
    strategyAloneMs: barAlone,
    withThreeBaselinesMs: barAll,
  },
  sweep: { param: "width (targetProbability)", values, totalMs: sweep, perParameterSetMs: perSet },
  targets,
};

const ms = (t: Timing) => `${t.wallMs.toFixed(0)} ms (cpu ${t.cpuMs.toFixed(0)})`;
const table = new Table({
  head: ["backtest", "time, best of runs", "target"],
  style: { head: [], border: [] },
});
table.push(
  [`swap day: read + decode ${results.swapDay.events} events`, ms(swapRead), "apart"],
  ["swap day: rebuild start state + checked reference replay (once)", ms(swapPath), "apart (cached)"],
  [`swap day: ${STRATEGY}, ${results.swapDay.steps} blocks`, ms(swapAlone), `< ${targets.swapDayMs} ms`],
  ["swap day: with hold, full range, passive", ms(swapAll), ""],
  [`35 days of minute bars: read ${results.minuteBars.bars} bars`, ms(barRead), "apart"],
  [`35 days: ${STRATEGY}`, ms(barAlone), `< ${targets.minuteBars35DaysMs} ms`],
  ["35 days: with hold, full range, passive", ms(barAll), ""],
  [`sweep over 35 days, per parameter set (${values.length} sets)`, ms(perSet), ""],
);
console.log(table.toString());
console.log(
  `machine: ${results.machine.cpu}, ${results.machine.cores} cores, node ${results.machine.node}; ${results.machine.note}`,
);

const out = join(dirname(fileURLToPath(import.meta.url)), "../../reports/bench/backtest.json");
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
console.log(`written to ${out}`);
