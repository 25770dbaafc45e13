import { expect } from "chai";

import { priceFromTick } from "../../src/analytics/price.js";
import { probabilityInRange } from "../../src/analytics/probabilityInRange.js";
import { SECONDS_PER_YEAR } from "../../src/analytics/realisedVolatility.js";
import { plannedPositions } from "../../src/strategies/plannedPositions.js";
import { rebalanceEconomics } from "../../src/strategies/rebalanceEconomics.js";
import { swapCostEstimate } from "../../src/strategies/swapCostEstimate.js";
import type { RebalancePlan } from "../../src/strategies/types.js";
import { PRICE, TICK, usdcWethSnapshot } from "./snapshot.js";

const PARAMS = { horizonSeconds: 86_400, gasPerRebalance: 600_000, riskAversion: 5 };
// A base the price left long ago: 2,000 ticks below, all WETH.
const STALE_BASE = { tickLower: 196_000, tickUpper: 197_000, liquidity: 3n * 10n ** 17n };
const CENTRED: RebalancePlan = { baseLower: TICK - 445, baseUpper: TICK + 445, limitWidth: 10, swap: null };

describe("economic check (rebalanceEconomics)", function () {
  it("charges gasPerRebalance at the snapshot's gas cost and nets gain minus gas minus swap", function () {
    const snapshot = usdcWethSnapshot({ share1: 1, base: STALE_BASE, gasCostPerUnit: 25e9 });
    const e = rebalanceEconomics(snapshot, CENTRED, PARAMS);
    expect(e.gasCost).to.equal(600_000 * 25e9);
    expect(e.swapCost).to.equal(0);
    expect(e.net).to.equal(e.expectedGain - e.gasCost - e.swapCost);
    expect(e.expectedGain).to.be.closeTo(
      e.breakdown!.fees - e.breakdown!.lvr + e.breakdown!.inventoryRisk,
      1e-6,
    );
    expect(e.horizonSeconds).to.equal(86_400);
  });

  it("counts fees as L · fee rate · H · mean time in range, and LVR in the same proportion σ²√P/4 : fee rate", function () {
    // A balanced vault's first placement: nothing held yet, so the gain is all the planned base's.
    const snapshot = usdcWethSnapshot({ share1: 0.5 });
    const e = rebalanceEconomics(snapshot, CENTRED, { ...PARAMS, riskAversion: 0 });
    // The planned base's liquidity from the vault's own rule, and its mean time in range by a fine quadrature.
    const planned = plannedPositions({
      plan: CENTRED,
      amount0: Number(snapshot.vault.total0),
      amount1: Number(snapshot.vault.total1),
      price: PRICE,
      tick: TICK,
      tickSpacing: 10,
    });
    const base = planned.positions[0]!;
    let inRange = 0;
    for (let k = 0; k < 400; k++)
      inRange +=
        probabilityInRange({
          price: PRICE,
          priceLower: priceFromTick(base.tickLower),
          priceUpper: priceFromTick(base.tickUpper),
          volatility: 0.5,
          horizon: (86_400 * (k + 0.5)) / 400 / SECONDS_PER_YEAR,
        }) / 400;
    const expectedFees = base.liquidity * 1e-4 * 86_400 * inRange;
    expect(e.breakdown!.fees / expectedFees).to.be.closeTo(1, 0.01);
    const lvrPerFee = ((0.25 / SECONDS_PER_YEAR) * Math.sqrt(PRICE)) / 4 / 1e-4;
    expect(e.breakdown!.lvr / e.breakdown!.fees).to.be.closeTo(lvrPerFee, 1e-9);
    expect(e.breakdown!.inventoryRisk).to.equal(0);
  });

  it("values a mix off target as ½·γ·σ²·H·V·drift²: all-WETH against 50/50, linear in γ", function () {
    const snapshot = usdcWethSnapshot({ share1: 1, base: STALE_BASE });
    // Half the WETH sold first: the centred base then holds about 50/50.
    const swap = { zeroForOne: false, amountIn: 2196n * 10n ** 17n, sqrtPriceLimitX96: 2n ** 159n };
    const at = (riskAversion: number, plan: RebalancePlan = { ...CENTRED, swap }) =>
      rebalanceEconomics(snapshot, plan, { ...PARAMS, riskAversion });
    const [one, ten] = [at(1), at(10)];
    expect(ten.breakdown!.inventoryRisk / one.breakdown!.inventoryRisk).to.be.closeTo(10, 1e-9);
    // Holding: drift +0.5 at every price (all WETH, out of range): the penalty ½·σ²·H·V·0.25 (γ = 1, V = 439.2
    // WETH). After the swap most of it goes; what stays is the drift the narrow base builds as the price moves.
    const whole = 0.5 * (0.25 / SECONDS_PER_YEAR) * 86_400 * 439.2e18 * 0.25;
    expect(one.breakdown!.inventoryRisk / whole).to.be.within(0.75, 0.9);
    expect(one.swapCost).to.be.greaterThan(219.6e18 * 0.0005);
    // Without the swap the WETH can only wait in a bid below the price: little of the penalty goes.
    expect(at(1, CENTRED).breakdown!.inventoryRisk / whole).to.be.below(0.05);
  });

  it("prices a swap by the pool fee plus the impact in the active liquidity (one constant-liquidity step)", function () {
    const liquidity = 2e19;
    const amountIn = 100e18; // 100 WETH into the pool
    const { cost, amountOut } = swapCostEstimate({
      zeroForOne: false,
      amountIn,
      price: PRICE,
      liquidity,
      fee: 500,
    });
    const sqrtP = Math.sqrt(PRICE);
    const sqrtNext = sqrtP + (amountIn * 0.9995) / liquidity;
    expect(amountOut).to.be.closeTo(liquidity * (1 / sqrtP - 1 / sqrtNext), 1);
    expect(cost).to.be.closeTo(amountIn - amountOut * PRICE, 1e6);
    // More than the fee alone, and the impact grows with the amount.
    expect(cost).to.be.greaterThan(amountIn * 0.0005);
    const half = swapCostEstimate({
      zeroForOne: false,
      amountIn: amountIn / 2,
      price: PRICE,
      liquidity,
      fee: 500,
    });
    expect(half.cost / cost).to.be.lessThan(0.5);
  });

  it("places the leftover token in the limit range on its side, as the vault does", function () {
    const amount0 = 5e11; // all the USDC of the $1M vault
    const planned = plannedPositions({
      plan: CENTRED,
      amount0,
      amount1: 100e18,
      price: PRICE,
      tick: TICK,
      tickSpacing: 10,
    });
    const [base, limit] = planned.positions;
    // WETH runs out first: the base takes all of it and the USDC left over sells above the price.
    expect(limit!.tickLower).to.equal(199_010);
    expect(limit!.tickUpper).to.equal(199_020);
    const sqrtA = Math.sqrt(priceFromTick(base!.tickLower));
    expect(base!.liquidity * (Math.sqrt(PRICE) - sqrtA)).to.be.closeTo(100e18, 1e6);
  });
});
