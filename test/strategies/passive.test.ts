import { expect } from "chai";

import { passiveStrategy, type PassiveParams } from "../../src/strategies/passive.js";
import { InvalidStrategyParamsError } from "../../src/strategies/parseStrategyParams.js";
import { getStrategy, UnknownStrategyError } from "../../src/strategies/registry.js";
import type { StrategySnapshot } from "../../src/strategies/types.js";

const PARAMS: PassiveParams = { baseThreshold: 3600, limitThreshold: 1200, period: 3600, minTickMove: 100 };

function snapshot(
  overrides: { tick?: number; twapTick?: number; timestamp?: number; held?: boolean; spacing?: number } = {},
): StrategySnapshot {
  const { tick = 199_045, twapTick = tick, timestamp = 1_704_412_823, held = true, spacing = 60 } = overrides;
  return {
    timestamp,
    pool: { tick, sqrtPriceX96: 1n << 96n, twapTick, tickSpacing: spacing, fee: 3000, liquidity: 10n ** 18n },
    vault: {
      total0: 10n ** 12n,
      total1: 10n ** 21n,
      base: held ? { tickLower: 195_000, tickUpper: 202_000, liquidity: 1n } : null,
      limit: null,
      targetShare1: 0.5,
      lastRebalance: held ? 1_704_400_000 : null,
      bounds: {
        minBaseWidth: 120,
        maxBaseWidth: 20_000,
        minLimitWidth: 60,
        maxLimitWidth: 10_000,
        maxTwapDeviation: 100,
        minRebalanceInterval: 0,
      },
    },
    market: { volatility: 0.6, feeRatePerLiquidity: 0, gasCostPerUnit: 0 },
  };
}

describe("passive strategy (Charm's rule)", function () {
  it("places the base at [X − B, X + spacing + B] and the limit width at L, X the tick floored to the spacing", function () {
    const decision = passiveStrategy.decide(
      snapshot({ held: false }),
      PARAMS,
      passiveStrategy.initialMemory(),
    );
    // 199,045 floored to a multiple of 60 is 199,020.
    expect(decision.plan).to.deep.equal({
      baseLower: 195_420,
      baseUpper: 202_680,
      limitWidth: 1200,
      swap: null,
    });
    expect(decision.trigger).to.equal("initial");
    expect(decision.memory).to.deep.equal({ lastTick: 199_045, lastTimestamp: 1_704_412_823 });
  });

  it("floors negative ticks towards −∞, as the pool does", function () {
    const decision = passiveStrategy.decide(
      snapshot({ held: false, tick: -5, spacing: 10 }),
      { ...PARAMS, baseThreshold: 100, limitThreshold: 60 },
      passiveStrategy.initialMemory(),
    );
    expect(decision.plan).to.include({ baseLower: -110, baseUpper: 100 });
  });

  it("waits for the period and for the minimum tick move, then re-centres", function () {
    const memory = { lastTick: 199_045, lastTimestamp: 1_704_412_823 };
    const early = passiveStrategy.decide(
      snapshot({ tick: 199_500, timestamp: 1_704_412_823 + 3599 }),
      PARAMS,
      memory,
    );
    expect(early.plan).to.equal(null);
    expect(early.reasons[0]).to.match(/period not elapsed/);
    expect(early.memory).to.equal(memory);

    const still = passiveStrategy.decide(
      snapshot({ tick: 199_144, timestamp: 1_704_412_823 + 3600 }),
      PARAMS,
      memory,
    );
    expect(still.plan).to.equal(null);
    expect(still.reasons[0]).to.match(/moved 99 ticks.*minTickMove 100/);

    const moved = passiveStrategy.decide(
      snapshot({ tick: 199_145, timestamp: 1_704_412_823 + 3600 }),
      PARAMS,
      memory,
    );
    expect(moved.plan).to.deep.equal({
      baseLower: 195_540,
      baseUpper: 202_800,
      limitWidth: 1200,
      swap: null,
    });
    expect(moved.trigger).to.equal("stale");
    expect(moved.memory).to.deep.equal({ lastTick: 199_145, lastTimestamp: 1_704_416_423 });
  });

  it("counts the vault's own last rebalance, so a keeper restarted without memory does not act early", function () {
    const fresh = snapshot({ tick: 199_500, timestamp: 1_704_400_000 + 3599 });
    expect(passiveStrategy.decide(fresh, PARAMS, passiveStrategy.initialMemory()).plan).to.equal(null);
  });

  it("holds while the spot price is further from the TWAP than the vault allows", function () {
    const decision = passiveStrategy.decide(
      snapshot({ held: false, tick: 199_045, twapTick: 198_944 }),
      PARAMS,
      passiveStrategy.initialMemory(),
    );
    expect(decision.plan).to.equal(null);
    expect(decision.reasons[0]).to.match(/101 ticks from the TWAP/);
  });

  it("holds, saying why, when the thresholds fall outside the vault's bounds or off the tick spacing", function () {
    const wide = passiveStrategy.decide(
      snapshot({ held: false }),
      { ...PARAMS, baseThreshold: 12_000 },
      passiveStrategy.initialMemory(),
    );
    expect(wide.plan).to.equal(null);
    expect(wide.reasons[0]).to.match(/base width 24060 .* bounds \[120, 20000\]/);
    const offGrid = passiveStrategy.decide(
      snapshot({ held: false }),
      { ...PARAMS, limitThreshold: 1210 },
      passiveStrategy.initialMemory(),
    );
    expect(offGrid.reasons[0]).to.match(/limitThreshold 1210 is not a multiple of the tick spacing 60/);
  });

  it("refuses bad params naming each field, and unknown strategy names listing the known ones", function () {
    const err = (() => {
      try {
        passiveStrategy.parseParams({ baseThreshold: -1, limitThreshold: 1200, period: "1h", extra: 1 });
      } catch (e) {
        return e as InvalidStrategyParamsError;
      }
    })();
    expect(err).to.be.instanceOf(InvalidStrategyParamsError);
    expect(err!.issues.join("\n"))
      .to.match(/baseThreshold/)
      .and.match(/period/)
      .and.match(/minTickMove/)
      .and.match(/extra/);
    expect(() => getStrategy("nope")).to.throw(UnknownStrategyError, /passive/);
  });
});
