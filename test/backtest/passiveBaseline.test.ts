import { expect } from "chai";

import type { RunResult } from "../../src/backtest/backtestResult.js";
import { loadBacktestDataCached, marketPathOf, runBacktest } from "../../src/backtest/runBacktest.js";
import { getTickAtSqrtRatio } from "../../src/uniswap/tickMath.js";
import { dataFile } from "../support/data.js";

const PARAMS = { baseThreshold: 600, limitThreshold: 300, period: 3600, minTickMove: 50 };
const WARMUP = 4 * 3600;
const SPACING = 10;

/**
 * Charm's rule written out again from its description, on the path's own ticks: the first step after the
 * warm-up places the ranges; afterwards, once `period` has passed and the tick moved at least `minTickMove`
 * since the last rebalance (and the spot is within 100 ticks of the 60-second TWAP), base [X − B, X + s + B]
 * and a limit of width L next to X, X the tick floored to the spacing.
 */
function charmSchedule(timestamps: readonly number[], ticks: readonly number[]) {
  const expected: { timestamp: number; baseLower: number; baseUpper: number; floor: number }[] = [];
  let last: { timestamp: number; tick: number } | null = null;
  // Tick cumulatives of the step path (each step's tick holds until the next step), for the TWAP.
  const cumulative = [0];
  for (let i = 1; i < ticks.length; i++)
    cumulative.push(cumulative[i - 1]! + ticks[i - 1]! * (timestamps[i]! - timestamps[i - 1]!));
  const cumulativeAt = (t: number, i: number) => {
    let j = i;
    while (j > 0 && timestamps[j]! > t) j--;
    return cumulative[j]! + ticks[j]! * (t - timestamps[j]!);
  };
  for (let i = 0; i < timestamps.length; i++) {
    const t = timestamps[i]!;
    if (t < timestamps[0]! + WARMUP) continue;
    const tick = ticks[i]!;
    if (
      last !== null &&
      (t < last.timestamp + PARAMS.period || Math.abs(tick - last.tick) < PARAMS.minTickMove)
    )
      continue;
    const twap = Math.floor((cumulativeAt(t, i) - cumulativeAt(t - 60, i)) / 60);
    if (Math.abs(tick - twap) > 100) continue;
    const floor = Math.floor(tick / SPACING) * SPACING;
    expected.push({
      timestamp: t,
      baseLower: floor - PARAMS.baseThreshold,
      baseUpper: floor + SPACING + PARAMS.baseThreshold,
      floor,
    });
    last = { timestamp: t, tick };
  }
  return expected;
}

function expectCharm(run: RunResult, timestamps: readonly number[], ticks: readonly number[]) {
  const schedule = charmSchedule(timestamps, ticks);
  expect(run.revertedRebalances).to.equal(0);
  expect(run.rebalanceLog.map((r) => [r.timestamp, r.baseLower, r.baseUpper])).to.deep.equal(
    schedule.map((s) => [s.timestamp, s.baseLower, s.baseUpper]),
  );
  for (const [i, r] of run.rebalanceLog.entries()) {
    const floor = schedule[i]!.floor;
    const bid: [number, number] = [floor - PARAMS.limitThreshold, floor];
    const ask: [number, number] = [floor + SPACING, floor + SPACING + PARAMS.limitThreshold];
    expect([[r.limitLower, r.limitUpper]]).to.deep.include.oneOf([bid, ask]);
  }
  return schedule.length;
}

describe("passive baseline reproduces Charm's rule exactly (ranges and timing)", function () {
  it("on the swap-by-swap day of USDC/WETH 0.05 %", function () {
    const data = loadBacktestDataCached(dataFile("mainnet-usdc-weth-005-2024-01-05"));
    const path = marketPathOf(data);
    const [run] = runBacktest({ data, strategy: "passive", params: PARAMS, baselines: false }).runs;
    const ticks = path.sqrtPrices.map((p) => getTickAtSqrtRatio(p));
    const count = expectCharm(run!, path.timestamps, ticks);
    expect(count).to.be.at.least(5);
  });

  it("on three days of Polygon minute bars", function () {
    const folder = dataFile("polygon-usdc-weth-005-minute-2022-07");
    const from = Date.parse("2022-07-25T00:00:00Z") / 1000;
    const data = loadBacktestDataCached(folder, { from, to: from + 3 * 86_400 });
    const path = marketPathOf(data);
    const [run] = runBacktest({ data, strategy: "passive", params: PARAMS, baselines: false }).runs;
    const ticks = data.kind === "minute-bars" ? data.bars.map((bar) => bar.closeTick) : [];
    const count = expectCharm(run!, path.timestamps, ticks);
    expect(count).to.be.at.least(10);
  });
});
