import { expect } from "chai";

import { InvalidAnalyticsInputError } from "../../src/analytics/errors.js";
import { impermanentLoss } from "../../src/analytics/impermanentLoss.js";
import { inventoryDrift } from "../../src/analytics/inventoryDrift.js";
import { positionAmounts } from "../../src/analytics/positionAmounts.js";
import { positionFees } from "../../src/analytics/positionFees.js";
import { positionGreeks } from "../../src/analytics/positionGreeks.js";
import { positionValue } from "../../src/analytics/positionValue.js";
import { priceFromSqrtPriceX96, priceFromTick, tickFromPrice } from "../../src/analytics/price.js";
import { rangeImpermanentLoss } from "../../src/analytics/rangeImpermanentLoss.js";
import { timeInRange } from "../../src/analytics/timeInRange.js";
import { MAX_UINT128 } from "../../src/uniswap/constants.js";
import { getAmountsForLiquidity } from "../../src/uniswap/liquidityAmounts.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import { Random } from "../support/random.js";
import { randomPool } from "../support/randomPool.js";

const range = { priceLower: 1600, priceUpper: 2500 };

describe("position analytics", function () {
  it("hold the token amounts the contract math gives, to 1e-12, in, below and above the range", function () {
    const random = new Random(21);
    for (let i = 0; i < 500; i++) {
      const lowerTick = random.int(-200_000, 200_000);
      const upperTick = lowerTick + random.int(1, 20_000);
      const tick = lowerTick + random.int(-5_000, upperTick - lowerTick + 5_000);
      const sqrtPriceX96 = getSqrtRatioAtTick(tick) + random.bits(30);
      const liquidity = random.logUniform(10n ** 12n, 10n ** 24n);
      const exact = getAmountsForLiquidity(
        sqrtPriceX96,
        getSqrtRatioAtTick(lowerTick),
        getSqrtRatioAtTick(upperTick),
        liquidity,
      );
      const ours = positionAmounts({
        liquidity: Number(liquidity),
        price: priceFromSqrtPriceX96(sqrtPriceX96),
        priceLower: priceFromTick(lowerTick),
        priceUpper: priceFromTick(upperTick),
      });
      for (const [got, want] of [
        [ours.amount0, Number(exact.amount0)],
        [ours.amount1, Number(exact.amount1)],
      ] as const) {
        // Rounding to the wei dominates when an amount is a few wei.
        expect(Math.abs(got - want), `${lowerTick} ${upperTick} ${tick} ${liquidity}`).to.be.below(
          Math.max(2, want * 1e-12),
        );
      }
    }
  });

  it("value is L(2√P − √Pa − P/√Pb) in range; delta and gamma are its first and second derivatives", function () {
    const L = 1234.5;
    for (const price of [1500, 1700, 2000, 2400, 2600]) {
      const p = { liquidity: L, price, ...range };
      const clamped = Math.min(Math.max(price, 1600), 2500);
      const closed =
        price < 1600
          ? L * (1 / 40 - 1 / 50) * price
          : price > 2500
            ? L * (50 - 40)
            : L * (2 * Math.sqrt(clamped) - 40 - clamped / 50);
      expect(positionValue(p)).to.be.closeTo(closed, 1e-9 * closed);
      const h = price * 1e-5;
      const v = (x: number) => positionValue({ ...p, price: x });
      const { delta, gamma } = positionGreeks(p);
      expect(delta).to.be.closeTo((v(price + h) - v(price - h)) / (2 * h), 1e-6 * Math.max(delta, 1));
      const numericGamma = (v(price + h) - 2 * v(price) + v(price - h)) / (h * h);
      expect(gamma).to.be.closeTo(numericGamma, 1e-3 * Math.abs(numericGamma) + 1e-9);
      expect(gamma === 0).to.equal(price < 1600 || price > 2500);
    }
  });

  it("IL follows −(√r−1)²/(r(1−√(P0/Pb)) + 1 − √(Pa/P0)), and the 1600–2500 range multiplies full-range IL by 9.472", function () {
    const P0 = 2000;
    for (const r of [0.9, 1.1, 1.2]) {
      const ours = rangeImpermanentLoss({ priceStart: P0, priceNow: P0 * r, ...range });
      const closed = -((Math.sqrt(r) - 1) ** 2) / (r * (1 - Math.sqrt(P0 / 2500)) + 1 - Math.sqrt(1600 / P0));
      expect(ours).to.be.closeTo(closed, 1e-12);
      const fullRange = (2 * Math.sqrt(r)) / (1 + r) - 1;
      expect(
        rangeImpermanentLoss({ priceStart: P0, priceNow: P0 * r, priceLower: 1e-30, priceUpper: 1e30 }),
      ).to.be.closeTo(fullRange, 1e-12);
      expect(ours / fullRange).to.be.closeTo(9.472, 0.0005);
    }
    // In range the absolute loss is −L(√P − √P0)²/√P0, as for a full-range position with the same L.
    const L = 10;
    const start = positionAmounts({ liquidity: L, price: P0, ...range });
    const value = positionValue({ liquidity: L, price: 2300, ...range });
    expect(impermanentLoss({ price: 2300, value, reference: start }).loss).to.be.closeTo(
      (-L * (Math.sqrt(2300) - Math.sqrt(P0)) ** 2) / Math.sqrt(P0),
      1e-9,
    );
    // Out of range the position's price is clamped to the boundary, the held tokens are not.
    const outside = rangeImpermanentLoss({ priceStart: P0, priceNow: 3000, ...range });
    const atBoundary = positionValue({ liquidity: 1, price: 2500, ...range });
    const hodl = positionAmounts({ liquidity: 1, price: P0, ...range });
    expect(outside).to.be.closeTo(atBoundary / (hodl.amount0 * 3000 + hodl.amount1) - 1, 1e-12);
  });

  it("measures inventory drift against the target share and converts ticks and prices both ways", function () {
    const drift = inventoryDrift({ amount0: 1, amount1: 3000, price: 2000, targetShare1: 0.5 });
    expect(drift.value).to.equal(5000);
    expect(drift.share1).to.be.closeTo(0.6, 1e-15);
    expect(drift.drift).to.be.closeTo(0.1, 1e-15);
    expect(drift.excessValue).to.be.closeTo(500, 1e-9);
    for (const tick of [-887272, -1, 0, 1, 199045, 887271]) {
      expect(tickFromPrice(priceFromTick(tick))).to.equal(tick);
    }
    expect(priceFromSqrtPriceX96(getSqrtRatioAtTick(199045))).to.be.closeTo(
      priceFromTick(199045),
      priceFromTick(199045) * 1e-12,
    );
    expect(() => inventoryDrift({ amount0: 1, amount1: 1, price: 1, targetShare1: 1.5 }))
      .to.throw(InvalidAnalyticsInputError, "targetShare1: expected a share in [0, 1], got 1.5")
      .with.property("field", "targetShare1");
    expect(() => positionValue({ liquidity: 1, price: 1, priceLower: 2, priceUpper: 1 })).to.throw(
      InvalidAnalyticsInputError,
      "priceUpper: expected a price above priceLower (2), got 1",
    );
  });

  it("reads fees owed from fee growth exactly as the pool credits them", function () {
    const random = new Random(22);
    const pool = randomPool(random, { fee: 3000, positions: 20, width: 6000, startTick: 0 });
    pool.mint({ owner: "0xfee", tickLower: -1200, tickUpper: 1800, amount: 10n ** 20n });
    for (let i = 0; i < 200; i++)
      pool.swap({ zeroForOne: random.bool(), amountSpecified: random.logUniform(10n ** 12n, 10n ** 19n) });
    const slot0 = pool.slot0();
    const fees = positionFees({
      tickLower: -1200,
      tickUpper: 1800,
      tickCurrent: slot0.tick,
      feeGrowthGlobal0X128: pool.feeGrowthGlobal0X128,
      feeGrowthGlobal1X128: pool.feeGrowthGlobal1X128,
      lower: pool.tickState(-1200),
      upper: pool.tickState(1800),
      position: pool.position("0xfee", -1200, 1800),
    });
    expect(fees.amount0 > 0n && fees.amount1 > 0n).to.equal(true);
    pool.burn({ owner: "0xfee", tickLower: -1200, tickUpper: 1800, amount: 0n });
    expect(
      pool.collect({
        owner: "0xfee",
        tickLower: -1200,
        tickUpper: 1800,
        amount0Requested: MAX_UINT128,
        amount1Requested: MAX_UINT128,
      }),
    ).to.deep.equal({ amount0: fees.amount0, amount1: fees.amount1 });
  });

  it("counts time in range as the pool's secondsInside does", function () {
    const random = new Random(23);
    const pool = randomPool(random, { fee: 500, positions: 10, width: 2000, startTick: 0 });
    pool.mint({ owner: "0xt", tickLower: -600, tickUpper: 600, amount: 10n ** 18n });
    const start = pool.time;
    const before = pool.snapshotCumulativesInside(-600, 600).secondsInside;
    const observations = [{ timestamp: start, tick: pool.tick }];
    let time = start;
    for (let i = 0; i < 300; i++) {
      time += random.int(1, 600);
      pool.setTime(time);
      // Lean back toward the range, so the path spends time on both sides of its edges.
      pool.swap({
        zeroForOne: random.bool(pool.tick > 0 ? 0.7 : 0.3),
        amountSpecified: random.logUniform(10n ** 13n, 10n ** 17n),
      });
      observations.push({ timestamp: time, tick: pool.tick });
    }
    time += 100;
    pool.setTime(time);
    const measured = timeInRange({ observations, tickLower: -600, tickUpper: 600, end: time });
    expect(measured.secondsInRange).to.equal(
      pool.snapshotCumulativesInside(-600, 600).secondsInside - before,
    );
    expect(measured.fraction).to.be.within(0.05, 0.95);
  });
});
