import { TickMath } from "@uniswap/v3-sdk";
import { expect } from "chai";
import JSBI from "jsbi";

import { MAX_SQRT_RATIO, MAX_TICK, MIN_SQRT_RATIO, MIN_TICK } from "../../src/uniswap/constants.js";
import { PoolRevertError } from "../../src/uniswap/errors.js";
import {
  computeSqrtRatioAtTick,
  getSqrtRatioAtTick,
  getTickAtSqrtRatio,
  tickAtSqrtRatioInRange,
} from "../../src/uniswap/tickMath.js";
import { Random } from "../support/random.js";

const sdkSqrtRatio = (tick: number) => BigInt(TickMath.getSqrtRatioAtTick(tick).toString());
const sdkTick = (sqrtPriceX96: bigint) => TickMath.getTickAtSqrtRatio(JSBI.BigInt(sqrtPriceX96.toString()));

describe("tick math", function () {
  it("has the contract's bounds: MIN/MAX_SQRT_RATIO are the ratios at MIN/MAX_TICK", function () {
    expect(computeSqrtRatioAtTick(MIN_TICK)).to.equal(MIN_SQRT_RATIO);
    expect(computeSqrtRatioAtTick(MAX_TICK)).to.equal(MAX_SQRT_RATIO);
    expect(computeSqrtRatioAtTick(0)).to.equal(1n << 96n);
    expect(getTickAtSqrtRatio(MIN_SQRT_RATIO)).to.equal(MIN_TICK);
    expect(getTickAtSqrtRatio(MAX_SQRT_RATIO - 1n)).to.equal(MAX_TICK - 1);
  });

  it("equals @uniswap/v3-sdk's getSqrtRatioAtTick on 4,000 ticks and sits within 1e-13 of sqrt(1.0001)^tick", function () {
    const random = new Random(1);
    const ticks = [MIN_TICK, MIN_TICK + 1, -1, 0, 1, MAX_TICK - 1, MAX_TICK];
    for (let i = 0; i < 4000; i++)
      ticks.push(random.bool(0.5) ? random.int(-1000, 1000) : random.int(MIN_TICK, MAX_TICK));
    for (const tick of ticks) {
      const ours = getSqrtRatioAtTick(tick);
      expect(ours, `tick ${tick}`).to.equal(sdkSqrtRatio(tick));
      if (Math.abs(tick) < 600_000) {
        // log1p keeps ln(1.0001) accurate, so the closed form is good to a few 1e-15 even at large ticks.
        const exact = Math.exp((tick / 2) * Math.log1p(1e-4));
        expect(Math.abs(Number(ours) / 2 ** 96 / exact - 1), `tick ${tick}`).to.be.below(1e-13);
      }
    }
  });

  it("equals the SDK's getTickAtSqrtRatio on 6,000 prices: random, at each tick's ratio and one wei either side", function () {
    const random = new Random(2);
    const prices: bigint[] = [];
    for (let i = 0; i < 2000; i++) prices.push(random.logUniform(MIN_SQRT_RATIO, MAX_SQRT_RATIO - 1n));
    for (let i = 0; i < 1000; i++) {
      const ratio = getSqrtRatioAtTick(random.int(MIN_TICK + 1, MAX_TICK - 1));
      prices.push(ratio - 1n, ratio, ratio + 1n);
    }
    prices.push(MIN_SQRT_RATIO, MIN_SQRT_RATIO + 1n, MAX_SQRT_RATIO - 1n);
    for (const price of prices) {
      const tick = getTickAtSqrtRatio(price);
      expect(tick, `sqrtPriceX96 ${price}`).to.equal(sdkTick(price));
      expect(
        getSqrtRatioAtTick(tick) <= price && (tick === MAX_TICK || getSqrtRatioAtTick(tick + 1) > price),
      ).to.equal(true);
    }
  });

  it("gives the same tick whatever `near` guess it is handed: at, around or far from the answer, at the bounds", function () {
    const random = new Random(3);
    const prices: bigint[] = [MIN_SQRT_RATIO, MIN_SQRT_RATIO + 1n, MAX_SQRT_RATIO - 1n];
    for (let i = 0; i < 1000; i++) {
      const ratio = getSqrtRatioAtTick(random.int(MIN_TICK + 1, MAX_TICK - 1));
      prices.push(ratio - 1n, ratio, ratio + 1n, random.logUniform(MIN_SQRT_RATIO, MAX_SQRT_RATIO - 1n));
    }
    let checked = 0;
    for (const price of prices) {
      const tick = sdkTick(price);
      const guesses = [-3, -2, -1, 0, 1, 2, 3].map((d) => tick + d);
      guesses.push(random.int(MIN_TICK, MAX_TICK), MIN_TICK, MAX_TICK, MAX_TICK - 1, MAX_TICK - 2);
      for (const near of guesses) {
        if (near < MIN_TICK || near > MAX_TICK) continue;
        expect(tickAtSqrtRatioInRange(price, near), `price ${price} near ${near}`).to.equal(tick);
        expect(getTickAtSqrtRatio(price, near), `price ${price} near ${near}`).to.equal(tick);
        checked++;
      }
    }
    expect(checked).to.be.greaterThan(40_000);
  });

  it("keeps each tick's own ratio in its cache: ticks sharing a slot alternate, bad ticks still revert", function () {
    // The cache has 4,096 slots keyed by tick mod 4,096: these ticks all share slots with each other.
    const ticks = [0, 4096, -4096, 1, 4097, MAX_TICK, MAX_TICK - 4096, MIN_TICK, MIN_TICK + 4096];
    for (let round = 0; round < 3; round++) {
      for (const tick of ticks) expect(getSqrtRatioAtTick(tick), `tick ${tick}`).to.equal(sdkSqrtRatio(tick));
    }
    // Ticks past the bounds share slots with cached ones (and an empty slot's marker is slot + 1).
    for (const tick of [
      MAX_TICK + 1,
      MAX_TICK + 4096,
      MIN_TICK - 1,
      MIN_TICK - 4096,
      2 ** 31 - 1,
      -(2 ** 31),
    ]) {
      expect(() => getSqrtRatioAtTick(tick), `tick ${tick}`)
        .to.throw(PoolRevertError)
        .with.property("reason", "T");
    }
  });

  it("reverts as the contract does: 'T' outside the tick range, 'R' outside the price range", function () {
    for (const tick of [MIN_TICK - 1, MAX_TICK + 1, 0.5]) {
      expect(() => computeSqrtRatioAtTick(tick))
        .to.throw(PoolRevertError)
        .with.property("reason", "T");
    }
    for (const price of [MIN_SQRT_RATIO - 1n, MAX_SQRT_RATIO, 0n]) {
      expect(() => getTickAtSqrtRatio(price))
        .to.throw(PoolRevertError)
        .with.property("reason", "R");
    }
  });
});
