import { expect } from "chai";

import { priceFromTick } from "../../src/analytics/price.js";
import { runBacktest } from "../../src/backtest/runBacktest.js";
import { syntheticBars } from "./syntheticBars.js";

const YEAR = 365 * 86_400;
const NO_GAS = { gasPriceGwei: 0 };
// A run starts after its first bar: the estimators need one return, the closed forms none.
const COMMON = {
  strategy: "full-range",
  baselines: false,
  gas: NO_GAS,
  warmupSeconds: 60,
  numeraire: 1 as const,
  capital: 100,
};

function fullRange(data: ReturnType<typeof syntheticBars>) {
  const [run] = runBacktest({ ...COMMON, data }).runs;
  return run!;
}

describe("backtest of a full-range position on synthetic driftless paths (closed forms)", function () {
  it("IL is holding's 2√r/(1 + r) − 1 at the end, and the attribution adds up to the value against holding", function () {
    const data = syntheticBars({ seed: 7, bars: 600, volatility: 1.2 });
    const run = fullRange(data);
    const ticks = data.bars.slice(1).map((bar) => bar.closeTick);
    const r = priceFromTick(ticks.at(-1)!) / priceFromTick(ticks[0]!);
    const expected = (2 * Math.sqrt(r)) / (1 + r) - 1;
    expect(expected).to.be.below(-1e-4);
    // Without recorded volume the only fees are those of the swaps that move the price; they sit uncollected,
    // valued at the end price in the vault's value and when earned in `fees`, so the residual IL also carries
    // their price change: at most fees × (highest / lowest price − 1). The full range is the whole usable tick
    // range, whose IL is the constant product's to 1e-9.
    const range = priceFromTick(Math.max(...ticks)) / priceFromTick(Math.min(...ticks)) - 1;
    const slack = (run.attribution.fees * range) / run.holdEndValue + 1e-9;
    expect(slack).to.be.below(Math.abs(expected) / 10);
    expect(run.attribution.impermanentLoss / run.holdEndValue).to.be.closeTo(expected, slack);
    expect(run.attribution.net).to.be.closeTo(run.endValue - run.holdEndValue - run.attribution.gas, 1e-9);
  });

  it("fees are fee × inflow × L_vault / (L_recorded + L_vault) per minute, valued when earned", function () {
    const liquidity = 10n ** 17n;
    const [inflow0, inflow1] = [10n ** 11n, 5n * 10n ** 19n]; // 100,000 USDC and 50 WETH a minute
    const data = syntheticBars({ seed: 11, bars: 300, volatility: 0.8, liquidity, inflow0, inflow1 });
    const run = fullRange(data);
    const vaultLiquidity =
      Number(run.rebalanceLog[0]!.economics === null ? 0 : 0) || vaultFullRangeLiquidity(run, data);
    const share = vaultLiquidity / (vaultLiquidity + Number(liquidity));
    let expected = 0;
    for (const bar of data.bars.slice(2)) {
      const price = priceFromTick(bar.closeTick);
      expected += (Number(inflow0) * 0.0005 * price + Number(inflow1) * 0.0005) * share;
    }
    expect(run.attribution.fees / (expected / 1e18)).to.be.closeTo(1, 1e-6);
  });

  it("LVR is Σ L√P(√r − 1)² step by step, near V0·σ²T/8 on a long path, and E[IL] = −E[LVR] over many paths", function () {
    const sigma = 1.5;
    const data = syntheticBars({ seed: 3, bars: 3000, volatility: sigma });
    const run = fullRange(data);
    const L = vaultFullRangeLiquidity(run, data);
    let discrete = 0;
    for (let i = 2; i < data.bars.length; i++) {
      const [p0, p1] = [priceFromTick(data.bars[i - 1]!.closeTick), priceFromTick(data.bars[i]!.closeTick)];
      discrete += L * Math.sqrt(p0) * (Math.sqrt(p1 / p0) - 1) ** 2;
    }
    expect(run.attribution.lvr / (discrete / 1e18)).to.be.closeTo(1, 1e-6);
    const T = (3000 - 2) * 60;
    const closedForm = run.startValue * (1 - Math.exp((-sigma * sigma * T) / YEAR / 8));
    // One path's realised variance is within a few percent of σ²T with 3,000 steps.
    expect(run.attribution.lvr / closedForm).to.be.closeTo(1, 0.1);

    // Expected IL equals expected LVR (not path by path): 300 paths of 200 minutes.
    const losses: number[] = [];
    const lvrs: number[] = [];
    for (let seed = 100; seed < 400; seed++) {
      const path = fullRange(syntheticBars({ seed, bars: 200, volatility: sigma }));
      losses.push(-path.attribution.impermanentLoss / path.startValue);
      lvrs.push(path.attribution.lvr / path.startValue);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(mean(losses.map((x) => (x - mean(losses)) ** 2)));
    const expected = 1 - Math.exp((-sigma * sigma * 198 * 60) / YEAR / 8);
    expect(Math.abs(mean(losses) - expected)).to.be.lessThan((3 * sd) / Math.sqrt(losses.length));
    expect(mean(lvrs) / expected).to.be.closeTo(1, 0.05);
  });
});

/** The vault's full-range liquidity, from the value it had at its first step: V = 2L√P (token1 raw). */
function vaultFullRangeLiquidity(
  run: { startValue: number },
  data: ReturnType<typeof syntheticBars>,
): number {
  const price = priceFromTick(data.bars[1]!.closeTick);
  return (run.startValue * 1e18) / (2 * Math.sqrt(price));
}
