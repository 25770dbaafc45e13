import { expect } from "chai";

import { lvrRate } from "../../src/analytics/lvrRate.js";
import { positionValue } from "../../src/analytics/positionValue.js";
import { priceFromSqrtPriceX96 } from "../../src/analytics/price.js";
import { realisedLvr, type LvrSwap } from "../../src/analytics/realisedLvr.js";
import { MAX_TICK, MIN_TICK, Q96 } from "../../src/uniswap/constants.js";
import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { Random } from "../support/random.js";

describe("loss-versus-rebalancing", function () {
  it("rate is −½σ²P²V″(P): σ²L√P/4 in range, 0 outside; σ²/8 of the value for a full range", function () {
    const sigma = 0.8;
    for (const price of [1700, 2000, 2450]) {
      const p = { liquidity: 3, price, priceLower: 1600, priceUpper: 2500 };
      const h = price * 1e-4;
      const v = (x: number) => positionValue({ ...p, price: x });
      const convexity = (v(price + h) - 2 * v(price) + v(price - h)) / (h * h);
      expect(lvrRate({ ...p, volatility: sigma })).to.be.closeTo(
        -0.5 * sigma ** 2 * price ** 2 * convexity,
        1e-6,
      );
    }
    expect(
      lvrRate({ liquidity: 3, price: 1500, priceLower: 1600, priceUpper: 2500, volatility: sigma }),
    ).to.equal(0);
    const full = { liquidity: 5, price: 2000, priceLower: 1e-30, priceUpper: 1e30 };
    expect(lvrRate({ ...full, volatility: sigma }) / positionValue(full)).to.be.closeTo(
      sigma ** 2 / 8,
      1e-12,
    );
  });

  it("realised over swaps of a simulated pool under driftless GBM: E[LVR_T] = V0(1 − e^{−σ²T/8}) = −E[V_T − HODL_T]", function () {
    // A full-range pool whose price an arbitrageur moves to each new GBM price with one swap; the pool's
    // fee (1 pip, the least allowed) is excluded from LVR with the swap's exact feeAmount.
    const random = new Random(31);
    const [sigma, T, steps, paths] = [1, 1, 50, 600];
    const dt = T / steps;
    const lvr: number[] = [];
    const il: number[] = [];
    // At price 1 a full-range L of 1e18 holds 1e18 of each token.
    const start = { amount0: 1e18, amount1: 1e18 };
    const v0 = start.amount0 + start.amount1;
    for (let path = 0; path < paths; path++) {
      const pool = PoolSimulator.initialize({ fee: 1, tickSpacing: 1, sqrtPriceX96: Q96, blockTimestamp: 0 });
      pool.mint({ owner: "0xlp", tickLower: MIN_TICK, tickUpper: MAX_TICK, amount: 10n ** 18n });
      const swaps: LvrSwap[] = [];
      let logPrice = 0;
      for (let step = 0; step < steps; step++) {
        logPrice += -0.5 * sigma * sigma * dt + sigma * Math.sqrt(dt) * random.normal();
        const target = BigInt(Math.round(Math.exp(logPrice / 2) * 2 ** 48)) << 48n;
        if (target === pool.sqrtPriceX96) continue;
        const zeroForOne = target < pool.sqrtPriceX96;
        const result = pool.swap({ zeroForOne, amountSpecified: 1n << 200n, sqrtPriceLimitX96: target });
        swaps.push({
          amount0: Number(result.amount0),
          amount1: Number(result.amount1),
          feeAmount: Number(result.feeAmount),
          price: priceFromSqrtPriceX96(target),
        });
      }
      lvr.push(realisedLvr(swaps) / v0);
      const price = priceFromSqrtPriceX96(pool.sqrtPriceX96);
      const value = positionValue({ liquidity: 1e18, price, priceLower: 1e-30, priceUpper: 1e30 });
      il.push((value - (start.amount0 * price + start.amount1)) / v0);
    }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const standardError = (xs: number[]) => Math.sqrt(mean(xs.map((x) => (x - mean(xs)) ** 2)) / xs.length);
    const expected = 1 - Math.exp((-sigma * sigma * T) / 8);
    console.log(
      `      E[LVR]/V0 ${mean(lvr).toFixed(5)} ± ${standardError(lvr).toFixed(5)}, −E[IL]/V0 ${(-mean(il)).toFixed(5)} ± ${standardError(il).toFixed(5)}, closed form ${expected.toFixed(5)}`,
    );
    expect(Math.abs(mean(lvr) - expected)).to.be.below(3 * standardError(lvr));
    expect(Math.abs(-mean(il) - expected)).to.be.below(3 * standardError(il));
    // Same mean, different distributions: IL spreads far wider than LVR (Alexander & Fritz 2024).
    expect(standardError(il)).to.be.greaterThan(2 * standardError(lvr));
  });

  it("counts only what the pool gave up, fee excluded, scaled by the position's share", function () {
    // The pool sells 1 token0 for 2,000.6 token1 (0.6 of it fee) while token0 is worth 2,010 outside.
    const swaps = [{ amount0: -1, amount1: 2000.6, feeAmount: 0.6, price: 2010, share: 0.25 }];
    expect(realisedLvr(swaps)).to.be.closeTo(0.25 * 10, 1e-9);
    expect(() => realisedLvr([{ amount0: 1, amount1: 1, price: 1 }])).to.throw(
      /swaps\[0\]: expected one amount paid in and the other paid out/,
    );
  });
});
