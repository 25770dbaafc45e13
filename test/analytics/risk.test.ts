import { expect } from "chai";

import { InvalidAnalyticsInputError } from "../../src/analytics/errors.js";
import { historicalValueAtRisk } from "../../src/analytics/historicalValueAtRisk.js";
import { optimalSpread } from "../../src/analytics/optimalSpread.js";
import { positionValue } from "../../src/analytics/positionValue.js";
import { probabilityInRange } from "../../src/analytics/probabilityInRange.js";
import { probabilityStaysInRange } from "../../src/analytics/probabilityStaysInRange.js";
import { reservationPrice } from "../../src/analytics/reservationPrice.js";
import { valueAtRisk } from "../../src/analytics/valueAtRisk.js";
import { Random } from "../support/random.js";

const anchor = {
  liquidity: 1,
  price: 2000,
  priceLower: 1600,
  priceUpper: 2500,
  volatility: 0.8,
  horizon: 30 / 365,
};

describe("risk of a range position", function () {
  it("closed-form VaR and CVaR: 3.730 and 4.144 at 99 % for L = 1, 1600–2500, P0 = 2000, σ = 0.8, 30 days", function () {
    const risk = valueAtRisk({ ...anchor, confidence: 0.99 });
    expect(risk.valueAtRisk).to.be.closeTo(3.73, 0.0005);
    expect(risk.conditionalValueAtRisk).to.be.closeTo(4.144, 0.0005);
    expect(risk.value).to.be.closeTo(positionValue(anchor), 1e-12);
  });

  it("closed-form VaR/CVaR equal Monte Carlo within its error, with and without drift, at 95 and 99 %", function () {
    const random = new Random(41);
    const n = 200_000;
    for (const [drift, confidence] of [
      [0, 0.99],
      [0.5, 0.95],
      [-0.3, 0.99],
    ] as const) {
      const { m, s } = { m: (drift - 0.32) * anchor.horizon, s: 0.8 * Math.sqrt(anchor.horizon) };
      const v0 = positionValue(anchor);
      const losses: number[] = [];
      for (let i = 0; i < n; i++)
        losses.push(v0 - positionValue({ ...anchor, price: 2000 * Math.exp(m + s * random.normal()) }));
      losses.sort((a, b) => b - a);
      const k = Math.ceil((1 - confidence) * n);
      const tail = losses.slice(0, k);
      const mcVar = tail.at(-1)!;
      const mcCvar = tail.reduce((a, b) => a + b, 0) / k;
      const closed = valueAtRisk({ ...anchor, drift, confidence });
      // Standard errors of a tail quantile and tail mean at this sample size are a few 1e-3 of the loss.
      expect(closed.valueAtRisk, `VaR μ=${drift} α=${confidence}`).to.be.closeTo(mcVar, 0.01 * mcVar);
      expect(closed.conditionalValueAtRisk, `CVaR μ=${drift} α=${confidence}`).to.be.closeTo(
        mcCvar,
        0.01 * mcCvar,
      );
    }
  });

  it("historical VaR/CVaR from a long GBM series converge on the closed form", function () {
    const random = new Random(42);
    const stepsPerDay = 24;
    const prices = [2000];
    const dt = 1 / 365 / stepsPerDay;
    for (let i = 0; i < 365 * stepsPerDay * 8; i++)
      prices.push(prices.at(-1)! * Math.exp(-0.32 * dt + 0.8 * Math.sqrt(dt) * random.normal()));
    const historical = historicalValueAtRisk({
      ...anchor,
      prices,
      horizonSteps: 30 * stepsPerDay,
      confidence: 0.95,
    });
    const closed = valueAtRisk({ ...anchor, confidence: 0.95 });
    expect(historical.scenarios).to.equal(prices.length - 30 * stepsPerDay);
    // Overlapping 30-day windows from 8 years: about 100 independent ones, so agreement is loose.
    expect(historical.valueAtRisk).to.be.closeTo(closed.valueAtRisk, 0.3 * closed.valueAtRisk);
    expect(historical.conditionalValueAtRisk).to.be.closeTo(
      closed.conditionalValueAtRisk,
      0.3 * closed.conditionalValueAtRisk,
    );
    expect(historical.conditionalValueAtRisk).to.be.at.least(historical.valueAtRisk);
  });

  it("probability in range at the horizon, and of never leaving it, against simulated paths", function () {
    const random = new Random(43);
    const parameters = {
      price: 2000,
      priceLower: 1800,
      priceUpper: 2300,
      volatility: 0.8,
      horizon: 7 / 365,
      drift: 0.2,
    };
    const [paths, steps] = [20_000, 400];
    const dt = parameters.horizon / steps;
    let inside = 0;
    let stayed = 0;
    for (let i = 0; i < paths; i++) {
      let x = 0;
      let left = false;
      for (let j = 0; j < steps; j++) {
        x += (0.2 - 0.32) * dt + 0.8 * Math.sqrt(dt) * random.normal();
        const p = 2000 * Math.exp(x);
        if (p <= 1800 || p >= 2300) left = true;
      }
      const p = 2000 * Math.exp(x);
      if (p > 1800 && p < 2300) inside++;
      if (!left) stayed++;
    }
    const atHorizon = probabilityInRange(parameters);
    const throughout = probabilityStaysInRange(parameters);
    const se = (p: number) => Math.sqrt((p * (1 - p)) / paths);
    expect(atHorizon).to.be.closeTo(inside / paths, 4 * se(atHorizon));
    // Discrete monitoring misses some exits, so the paths stay a little more often than continuously.
    expect(stayed / paths - throughout).to.be.within(-4 * se(throughout), 0.03);
    expect(throughout).to.be.below(atHorizon);
    expect(probabilityStaysInRange({ ...parameters, priceLower: 1e-9, priceUpper: 1e12 })).to.be.closeTo(
      1,
      1e-9,
    );
  });

  it("Avellaneda–Stoikov: the reservation price leans against inventory; the spread grows with risk and time", function () {
    const base = { price: 2000, riskAversion: 0.1, volatility: 40, timeLeft: 0.5 };
    expect(reservationPrice({ ...base, inventory: 0 })).to.equal(2000);
    expect(reservationPrice({ ...base, inventory: 2 })).to.be.closeTo(2000 - 2 * 0.1 * 1600 * 0.5, 1e-9);
    expect(reservationPrice({ ...base, inventory: -2 })).to.be.greaterThan(2000);
    const spread = optimalSpread({
      riskAversion: 0.1,
      volatility: 40,
      timeLeft: 0.5,
      orderArrivalDecay: 1.5,
    });
    expect(spread).to.be.closeTo(0.1 * 1600 * 0.5 + 20 * Math.log(1 + 0.1 / 1.5), 1e-9);
    expect(
      optimalSpread({ riskAversion: 0.1, volatility: 40, timeLeft: 0, orderArrivalDecay: 1.5 }),
    ).to.be.below(spread);
    expect(() => valueAtRisk({ ...anchor, confidence: 1 })).to.throw(
      InvalidAnalyticsInputError,
      "confidence: expected a number strictly between 0 and 1, got 1",
    );
  });
});
