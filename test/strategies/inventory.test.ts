import { expect } from "chai";

import { inventoryStrategy, type InventoryParams } from "../../src/strategies/inventory.js";
import { InvalidStrategyParamsError } from "../../src/strategies/parseStrategyParams.js";
import { getStrategy } from "../../src/strategies/registry.js";
import { volatilityStrategy } from "../../src/strategies/volatility.js";
import { TICK, usdcWethSnapshot } from "./snapshot.js";

const LOG_TICK = Math.log1p(1e-4);
const STALE = { tickLower: TICK - 3000, tickUpper: TICK - 2000, liquidity: 10n ** 17n };
const IN_RANGE = { tickLower: TICK - 895, tickUpper: TICK + 905, liquidity: 5n * 10n ** 17n };
const params = (overrides: Partial<InventoryParams> = {}) => ({
  ...inventoryStrategy.parseParams({}),
  ...overrides,
});

describe("inventory-aware strategy", function () {
  it("is in the registry with volatility and full-range, and its params are validated by name", function () {
    expect(getStrategy("inventory")).to.equal(inventoryStrategy);
    expect(getStrategy("volatility")).to.equal(volatilityStrategy);
    expect(getStrategy("full-range").name).to.equal("full-range");
    expect(params()).to.include({
      driftBand: 0.15,
      riskAversion: 5,
      horizonSeconds: 86_400,
      gasPerRebalance: 600_000,
    });
    expect(() => inventoryStrategy.parseParams({ riskAversion: -1, driftBand: 2, typo: 1 }))
      .to.throw(InvalidStrategyParamsError)
      .with.property("message")
      .that.matches(/riskAversion/)
      .and.matches(/driftBand/)
      .and.matches(/typo/);
  });

  it("skews the base to the Avellaneda–Stoikov reservation price: above the price with surplus WETH", function () {
    // γ = 100, drift +0.2, σ = 0.5, H = 1 day: ln(r/s) = γ·drift·σ²·H = 0.0137 → 137 ticks up.
    const p = params({ riskAversion: 100, allowSwap: false, widthMultiples: [1], driftBand: 0.1 });
    const decision = inventoryStrategy.decide(
      usdcWethSnapshot({ share1: 0.7, base: STALE, lastRebalance: 1_704_400_000 }),
      p,
      inventoryStrategy.initialMemory(),
    );
    expect(decision.trigger).to.equal("out-of-range");
    const plan = decision.plan!;
    const expectedSkew = (100 * 0.2 * 0.25 * 86_400) / (365 * 86_400) / LOG_TICK;
    expect(expectedSkew).to.be.closeTo(137.0, 0.1);
    expect((plan.baseLower + plan.baseUpper) / 2 - TICK).to.be.closeTo(expectedSkew, 10);
    // The limit spans the move that built the drift: 2 × 440 × 0.2 = 176 → 180 ticks.
    expect(plan.baseUpper - plan.baseLower).to.equal(880);
    expect(plan.limitWidth).to.equal(180);
    expect(plan.swap).to.equal(null);
    // Short WETH instead: the centre moves below the price by as much.
    const short = inventoryStrategy.decide(
      usdcWethSnapshot({ share1: 0.3, base: STALE, lastRebalance: 1_704_400_000 }),
      p,
      inventoryStrategy.initialMemory(),
    );
    expect((short.plan!.baseLower + short.plan!.baseUpper) / 2 - TICK).to.be.closeTo(-expectedSkew, 10);
  });

  it("triggers on drift beyond the band once, then waits until the drift came back inside half of it", function () {
    const p = params({ allowSwap: false, gasPerRebalance: 1 });
    let memory = inventoryStrategy.initialMemory();
    let time = 1_704_500_000;
    const at = (share1: number) => {
      time += 7200;
      const d = inventoryStrategy.decide(
        usdcWethSnapshot({ share1, base: IN_RANGE, lastRebalance: time - 7200, timestamp: time }),
        p,
        memory,
      );
      memory = d.memory;
      return d;
    };
    const first = at(0.7);
    expect(first.trigger).to.equal("drift");
    expect(first.plan).to.not.equal(null);
    expect(first.memory.driftArmed).to.equal(false);
    const again = at(0.7);
    expect(again.plan).to.equal(null);
    expect(again.reasons.join(" ")).to.match(/re-arms only below ±0.075/);
    expect(at(0.6).plan).to.equal(null); // 0.1 > 0.075: still disarmed, inside the band anyway
    expect(memory.driftArmed).to.equal(false);
    const back = at(0.54); // |drift| 0.04 < 0.075: re-armed
    expect(back.plan).to.equal(null);
    expect(memory.driftArmed).to.equal(true);
    expect(at(0.7).trigger).to.equal("drift");
  });

  it("holds inside the band, within the minimum interval, and when the spot is too far from the TWAP", function () {
    const p = params();
    const calm = inventoryStrategy.decide(
      usdcWethSnapshot({ share1: 0.55, base: IN_RANGE }),
      p,
      inventoryStrategy.initialMemory(),
    );
    expect([calm.plan, calm.trigger]).to.deep.equal([null, null]);
    expect(calm.reasons[1]).to.match(/drift 0.050 within ±0.15/);
    const soon = inventoryStrategy.decide(
      usdcWethSnapshot({ share1: 0.9, base: IN_RANGE, lastRebalance: 1_704_500_000 - 600 }),
      p,
      inventoryStrategy.initialMemory(),
    );
    expect(soon.plan).to.equal(null);
    expect(soon.trigger).to.equal("drift");
    expect(soon.reasons[1]).to.match(/minimum interval: next rebalance at 1704503000/);
    const displaced = inventoryStrategy.decide(
      usdcWethSnapshot({ share1: 0.9, base: IN_RANGE, twapTick: TICK - 150 }),
      p,
      inventoryStrategy.initialMemory(),
    );
    expect(displaced.reasons[1]).to.match(/150 ticks from the TWAP/);
  });

  it("swaps back to the target when the check prefers it, within the TWAP deviation, and refuses when gas eats the gain", function () {
    const outOfRange = STALE;
    const snapshot = usdcWethSnapshot({ share1: 1, base: outOfRange, lastRebalance: 1_704_400_000 });
    const p = params({ riskAversion: 50, widthMultiples: [1] });
    const decision = inventoryStrategy.decide(snapshot, p, inventoryStrategy.initialMemory());
    expect(decision.trigger).to.equal("out-of-range");
    const swap = decision.plan!.swap!;
    expect(swap.zeroForOne).to.equal(false); // sell the surplus WETH
    // Half of the vault's value in WETH: 219.6 WETH.
    expect(Number(swap.amountIn) / 1e18).to.be.closeTo(219.6, 0.1);
    expect(decision.economics!.swapCost).to.be.greaterThan(0);
    expect(decision.economics!.net).to.be.greaterThan(0);

    const pricey = inventoryStrategy.decide(
      usdcWethSnapshot({ share1: 1, base: outOfRange, lastRebalance: 1_704_400_000, gasCostPerUnit: 1e16 }),
      p,
      inventoryStrategy.initialMemory(),
    );
    expect(pricey.plan).to.equal(null);
    expect(pricey.trigger).to.equal("out-of-range");
    expect(pricey.economics!.gasCost).to.equal(6e21);
    expect(pricey.reasons[1]).to.match(/does not cover gas/);
  });
});
