import { readdirSync } from "node:fs";
import { join } from "node:path";

import { expect } from "chai";

import { EwmaVolatility } from "../../src/analytics/ewmaVolatility.js";
import { impliedVolatility } from "../../src/analytics/impliedVolatility.js";
import { priceFromSqrtPriceX96, priceFromTick } from "../../src/analytics/price.js";
import {
  barVolatility,
  realisedVolatility,
  SECONDS_PER_YEAR,
} from "../../src/analytics/realisedVolatility.js";
import { readMinuteBarsCsv } from "../../src/data/readMinuteBarsCsv.js";
import { readRawLogsCsv } from "../../src/data/readRawLogsCsv.js";
import { decodePoolLog } from "../../src/uniswap/decodePoolLog.js";
import { DATA_DIR, dataFile } from "../support/data.js";
import { Random } from "../support/random.js";

function gbmPath(random: Random, sigma: number, seconds: number, meanGap: number) {
  const points = [{ timestamp: 0, price: 2000 }];
  for (let t = 0; t < seconds;) {
    const gap = Math.max(1, Math.round(-Math.log(1 - random.next()) * meanGap));
    t += gap;
    const dt = gap / SECONDS_PER_YEAR;
    points.push({
      timestamp: t,
      price:
        points.at(-1)!.price * Math.exp(-0.5 * sigma * sigma * dt + sigma * Math.sqrt(dt) * random.normal()),
    });
  }
  return points;
}

describe("volatility estimators", function () {
  it("per-swap and EWMA estimators recover σ from a GBM sampled at irregular times; EWMA is incremental", function () {
    const random = new Random(51);
    const points = gbmPath(random, 0.8, 30 * 86_400, 60);
    const realised = realisedVolatility(points);
    // About 43,000 returns: the estimate's standard error is σ/√(2n) ≈ 0.3 %.
    expect(realised.volatility).to.be.closeTo(0.8, 0.8 * 0.02);
    const ewma = new EwmaVolatility({ halfLifeSeconds: 5 * 86_400 });
    for (const { timestamp, price } of points) ewma.update(timestamp, price);
    expect(ewma.volatility()!).to.be.closeTo(0.8, 0.8 * 0.06);
    // Swaps in one block all count in the interval that ends at that block.
    const split = new EwmaVolatility({ halfLifeSeconds: 3600 });
    const whole = new EwmaVolatility({ halfLifeSeconds: 3600 });
    for (const e of [split, whole]) e.update(0, 100);
    split.update(12, 101);
    split.update(12, 100.5);
    whole.update(12, 100.5);
    expect(split.variancePerSecond!).to.be.greaterThan(whole.variancePerSecond!);
    expect(split.variancePerSecond!).to.be.closeTo(
      (Math.log(1.01) ** 2 + Math.log(100.5 / 101) ** 2) / 12,
      1e-15,
    );
    expect(() => split.update(11, 100)).to.throw(/timestamp: expected a time at or after 12, got 11/);
  });

  it("EWMA carries on from its stored state exactly as if it had never stopped (a keeper restart)", function () {
    const points = gbmPath(new Random(53), 0.6, 86_400, 12);
    const uninterrupted = new EwmaVolatility({ halfLifeSeconds: 3600 });
    let resumed = new EwmaVolatility({ halfLifeSeconds: 3600 });
    points.forEach(({ timestamp, price }, i) => {
      uninterrupted.update(timestamp, price);
      // Through JSON, as the keeper stores it; a same-timestamp move right after a restart too.
      if (i % 997 === 0) resumed = EwmaVolatility.fromState(JSON.parse(JSON.stringify(resumed.state())));
      resumed.update(timestamp, price);
    });
    expect(uninterrupted.volatility()).to.be.closeTo(0.6, 0.6 * 0.15);
    uninterrupted.update(points.at(-1)!.timestamp, points.at(-1)!.price * 1.01);
    resumed = EwmaVolatility.fromState(JSON.parse(JSON.stringify(resumed.state())));
    resumed.update(points.at(-1)!.timestamp, points.at(-1)!.price * 1.01);
    expect(resumed.variancePerSecond).to.equal(uninterrupted.variancePerSecond);
    expect(() => EwmaVolatility.fromState({ ...resumed.state(), lastPrice: -1 })).to.throw(
      /state\.lastPrice/,
    );
  });

  it("bar estimators: close-to-close and Parkinson recover σ from simulated one-minute bars", function () {
    const random = new Random(52);
    const bars = [];
    let price = 2000;
    const dt = 1 / SECONDS_PER_YEAR;
    for (let minute = 0; minute < 20_000; minute++) {
      let [high, low] = [price, price];
      for (let second = 0; second < 60; second++) {
        price *= Math.exp(-0.32 * dt + 0.8 * Math.sqrt(dt) * random.normal());
        [high, low] = [Math.max(high, price), Math.min(low, price)];
      }
      bars.push({ high, low, close: price });
    }
    expect(barVolatility(bars, { barSeconds: 60 }).volatility).to.be.closeTo(0.8, 0.8 * 0.02);
    // Discrete sampling inside each bar understates the range a little.
    expect(barVolatility(bars, { barSeconds: 60, estimator: "parkinson" }).volatility).to.be.within(
      0.8 * 0.9,
      0.8 * 1.01,
    );
  });

  it("on real history: per-swap, per-bar and implied volatility of USDC/WETH 0.05 % on 2024-01-05 agree in size", function () {
    const folder = "mainnet-usdc-weth-005-2024-01-05";
    const swaps = readRawLogsCsv(dataFile(folder, "raw.csv"))
      .map(decodePoolLog)
      .filter((e) => e?.type === "swap");
    const perSwap = realisedVolatility(
      swaps.map((s) => ({ timestamp: s.timestamp!, price: priceFromSqrtPriceX96(s.sqrtPriceX96) })),
    );
    const bars = readMinuteBarsCsv(dataFile(folder, "minute.csv"));
    const closes = bars.map((b) => ({
      close: priceFromTick(b.closeTick),
      high: priceFromTick(b.highestTick),
      low: priceFromTick(b.lowestTick),
    }));
    const perBar = barVolatility(closes, { barSeconds: 60 });
    // Volume in token1 (WETH) terms: the token0 inflow valued at the day's mean price plus the token1 inflow.
    const price = priceFromSqrtPriceX96(swaps.at(-1)!.sqrtPriceX96);
    const volume = bars.reduce((sum, b) => sum + Number(b.inAmount0) * price + Number(b.inAmount1), 0);
    const last = swaps.at(-1)!;
    const implied = impliedVolatility({
      feeRate: 0.0005,
      volume,
      periodSeconds: 86_400,
      liquidity: Number(last.liquidity),
      tick: last.tick,
      tickSpacing: 10,
      price,
    });
    console.log(
      `      σ per swap ${perSwap.volatility.toFixed(3)}, per minute bar ${perBar.volatility.toFixed(3)}, implied ${implied.toFixed(3)}`,
    );
    // Microstructure noise (the price bounces between swaps) inflates the per-swap estimate over the bars'.
    expect(perBar.volatility).to.be.within(0.2, 1.2);
    expect(perSwap.volatility).to.be.within(perBar.volatility, 4 * perBar.volatility);
    expect(implied).to.be.within(perBar.volatility / 4, perBar.volatility * 4);
  });

  it("on the Polygon minute files (July–August 2022, about 80 % annualised): close-to-close and Parkinson", function () {
    const folder = join(DATA_DIR, "polygon-usdc-weth-005-minute-2022-07");
    const bars = readdirSync(folder)
      .filter((f) => f.endsWith(".csv"))
      .sort()
      .flatMap((f) => readMinuteBarsCsv(join(folder, f)))
      .map((b) => ({
        close: priceFromTick(b.closeTick),
        high: priceFromTick(b.highestTick),
        low: priceFromTick(b.lowestTick),
      }));
    const closeToClose = barVolatility(bars, { barSeconds: 60 });
    const parkinson = barVolatility(bars, { barSeconds: 60, estimator: "parkinson" });
    console.log(
      `      Polygon 2022-07/08: close-to-close ${closeToClose.volatility.toFixed(3)}, Parkinson ${parkinson.volatility.toFixed(3)}`,
    );
    expect(closeToClose.volatility).to.be.within(0.6, 1.0);
    expect(parkinson.volatility).to.be.within(0.4, 1.0);
  });
});
