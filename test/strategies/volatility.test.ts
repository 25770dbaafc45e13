import { expect } from "chai";

import { probabilityStaysInRange } from "../../src/analytics/probabilityStaysInRange.js";
import { SECONDS_PER_YEAR } from "../../src/analytics/realisedVolatility.js";
import { volatilityStrategy } from "../../src/strategies/volatility.js";
import { volatilityHalfWidth } from "../../src/strategies/volatilityHalfWidth.js";
import { TICK, usdcWethSnapshot } from "./snapshot.js";

const LOG_TICK = Math.log1p(1e-4);
const stays = (halfWidth: number, volatility: number) =>
  probabilityStaysInRange({
    price: 1,
    priceLower: Math.exp(-halfWidth * LOG_TICK),
    priceUpper: Math.exp(halfWidth * LOG_TICK),
    volatility,
    horizon: 86_400 / SECONDS_PER_YEAR,
  });

describe("volatility-scaled strategy", function () {
  it("sizes the base as the narrowest half-width that keeps the price in range with the target probability", function () {
    const width = (volatility: number) =>
      volatilityHalfWidth({
        volatility,
        horizonSeconds: 86_400,
        targetProbability: 0.8,
        tickSpacing: 10,
        maxHalfWidth: 887_270,
      });
    expect(width(0.5)).to.equal(440);
    expect(stays(440, 0.5)).to.be.at.least(0.8);
    expect(stays(430, 0.5)).to.be.below(0.8);
    // Width scales with σ: twice the volatility, twice the width (to the spacing).
    expect(width(1)).to.be.closeTo(880, 10);
  });

  it("places the base on the price at that width and a limit half as wide, when the check says it pays", function () {
    const p = volatilityStrategy.parseParams({});
    const stale = { tickLower: TICK - 3000, tickUpper: TICK - 2000, liquidity: 10n ** 17n };
    const decision = volatilityStrategy.decide(
      usdcWethSnapshot({ share1: 1, base: stale, lastRebalance: 1_704_400_000 }),
      p,
      volatilityStrategy.initialMemory(),
    );
    expect(decision.trigger).to.equal("out-of-range");
    expect(decision.plan).to.deep.equal({
      baseLower: 198_560,
      baseUpper: 199_440,
      limitWidth: 440,
      swap: null,
    });
    expect(decision.economics!.net).to.be.greaterThan(0);
    expect(decision.memory).to.deep.equal({ lastTimestamp: 1_704_500_000 });
  });

  it("holds while the price sits near the base's centre, re-centres past the threshold", function () {
    const p = volatilityStrategy.parseParams({ recenterThreshold: 0.5 });
    const base = { tickLower: TICK - 440, tickUpper: TICK + 440, liquidity: 10n ** 18n };
    const near = volatilityStrategy.decide(usdcWethSnapshot({ base }), p, volatilityStrategy.initialMemory());
    expect(near.plan).to.equal(null);
    expect(near.trigger).to.equal(null);
    const off = volatilityStrategy.decide(
      usdcWethSnapshot({
        base: { ...base, tickLower: TICK - 100, tickUpper: TICK + 780 },
        lastRebalance: 1_704_400_000,
      }),
      p,
      volatilityStrategy.initialMemory(),
    );
    expect(off.trigger).to.equal("stale");
    expect(off.reasons[0]).to.match(/inside|% of the half-width/);
  });

  it("refuses when the expected gain does not cover gas, with the arithmetic in the decision", function () {
    const p = volatilityStrategy.parseParams({});
    const stale = { tickLower: TICK - 3000, tickUpper: TICK - 2000, liquidity: 10n ** 17n };
    const decision = volatilityStrategy.decide(
      usdcWethSnapshot({ share1: 1, base: stale, lastRebalance: 1_704_400_000, gasCostPerUnit: 1e16 }),
      p,
      volatilityStrategy.initialMemory(),
    );
    expect(decision.plan).to.equal(null);
    expect(decision.trigger).to.equal("out-of-range");
    expect(decision.economics!.gasCost).to.equal(6e21);
    expect(decision.economics!.net).to.equal(decision.economics!.expectedGain - 6e21);
  });
});
