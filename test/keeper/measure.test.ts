import { expect } from "chai";
import type { Address, Hash } from "viem";

import { realisedLvr } from "../../src/analytics/realisedLvr.js";
import { valueAtRisk } from "../../src/analytics/valueAtRisk.js";
import { positionValue } from "../../src/analytics/positionValue.js";
import { priceFromTick } from "../../src/analytics/price.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { defaultVaultParams } from "../../src/chain/vault/params.js";
import { keeperConfigSchema } from "../../src/keeper/config/schema.js";
import { gasCostPerUnit, GasPricingError } from "../../src/keeper/measure/gasCostPerUnit.js";
import { measureVault, type MeasureState } from "../../src/keeper/measure/measureVault.js";
import { vaultRisk } from "../../src/keeper/measure/vaultRisk.js";
import type { PoolState, VaultSnapshot } from "../../src/keeper/snapshot.js";
import type { VaultState } from "../../src/keeper/vault/vaultState.js";
import type { ContractEvent, PoolEvent } from "../../src/keeper/watch/readBlockEvents.js";
import { fromJson, toJson } from "../../src/storage/json.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import { Random } from "../support/random.js";

const E18 = 10n ** 18n;
const Q128 = 2n ** 128n;
const TOKEN0 = "0x0000000000000000000000000000000000000A00" as Address;
const OPTIONS = {
  measure: keeperConfigSchema.shape.measure.parse(undefined),
  weth: MAINNET.weth,
  priorityFeePerGas: 2_000_000_000n,
  maxFeePerGas: 100_000_000_000n,
};
const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as Hash;

function pool(tick: number, over: Partial<PoolState> = {}): PoolState {
  return {
    address: "0x0000000000000000000000000000000000000B00",
    token0: TOKEN0,
    token1: MAINNET.weth,
    fee: 3000,
    tickSpacing: 60,
    decimals0: 18,
    decimals1: 18,
    symbol0: "TKA",
    symbol1: "WETH",
    sqrtPriceX96: getSqrtRatioAtTick(tick),
    tick,
    observationIndex: 0,
    observationCardinality: 100,
    liquidity: 10n ** 24n,
    feeGrowthGlobal0X128: 0n,
    feeGrowthGlobal1X128: 0n,
    ...over,
  };
}

function vault(over: Partial<VaultState>): VaultState {
  return {
    sqrtPriceX96: 0n,
    tick: 0,
    twapTick: 0,
    totalSupply: 200n * E18,
    total0: 100n * E18,
    total1: 100n * E18,
    idle0: 100n * E18,
    idle1: 100n * E18,
    base: null,
    limit: null,
    holderFeesOwed0: 0n,
    holderFeesOwed1: 0n,
    protocolFees0: 0n,
    protocolFees1: 0n,
    valueInToken1: 0n,
    token1ShareWad: 0n,
    inventoryDriftWad: 0n,
    lastRebalance: null,
    lossBudgetUsedPpm: 0n,
    protocolFeeBps: 1000,
    paused: false,
    params: defaultVaultParams(60),
    ...over,
  };
}

function snapshot(
  block: number,
  p: PoolState,
  v: VaultState,
  vaultEvents: ContractEvent[] = [],
  events: PoolEvent[] = [],
): VaultSnapshot<VaultState> {
  return {
    vault: "v",
    address: "0x0000000000000000000000000000000000000C00",
    block: {
      number: BigInt(block),
      hash: hash(block),
      timestamp: 1_700_000_000n + 12n * BigInt(block),
      baseFeePerGas: 7n,
    },
    pool: p,
    balances: { token0: 0n, token1: 0n },
    events,
    vaultEvents,
    gasPricePool: null,
    vaultState: v,
  };
}

const event = (
  eventName: string,
  args: Record<string, unknown>,
  tx: number,
  logIndex = 0,
): ContractEvent => ({
  address: "0x0000000000000000000000000000000000000C00",
  eventName,
  args,
  logIndex,
  txHash: hash(1_000 + tx),
});

describe("the keeper's measure step", function () {
  it("IL since inception excludes the fees compounded into the vault, and deposits do not move it", function () {
    // Block 1, price 1: 100/100 for 200 shares, first seen: reference 0.5/0.5 per share.
    const first = measureVault(snapshot(1, pool(0), vault({})), null, OPTIONS);
    const s1 = first.state as MeasureState;
    expect(s1.inception).to.include({ amount0PerShare: 0.5, amount1PerShare: 0.5, kind: "first-seen" });
    expect(first.measurements.impermanentLoss).to.equal(0);

    // Block 2, price 1.0001^1000: the vault sold 10 token0 for token1 in its range, and collected fees of
    // 10 token0 (1 to the protocol): holdings 99 + 9 of which 9 are fees, so the principal is 90 token0.
    const tick = 1000;
    const price = priceFromTick(tick);
    const fees = event(
      "FeesCollected",
      { fees0: 10n * E18, fees1: 0n, protocolFees0: E18, protocolFees1: 0n },
      1,
    );
    const second = measureVault(
      snapshot(2, pool(tick), vault({ total0: 99n * E18, total1: 110n * E18 }), [fees]),
      s1,
      OPTIONS,
    );
    const principal = 90 * price + 110;
    const hodl = 100 * price + 100;
    const il = second.measurements.impermanentLossSinceInception as { loss: number; fraction: number };
    expect(il.loss).to.be.closeTo(principal - hodl, 1e-9);
    expect(il.fraction).to.be.closeTo((principal - hodl) / hodl, 1e-12);
    expect(second.measurements.feesCollected).to.be.closeTo(9 * price, 1e-9);

    // Block 3, same price: a deposit doubles everything (the deposit's collect brought 0 fees): IL is the same
    // fraction, twice the loss.
    const s2 = second.state as MeasureState;
    const deposit = event(
      "Deposit",
      { sender: TOKEN0, to: TOKEN0, shares: 200n * E18, amount0: 99n * E18, amount1: 110n * E18 },
      2,
    );
    const third = measureVault(
      snapshot(
        3,
        pool(tick, { feeGrowthGlobal0X128: 0n }),
        vault({ totalSupply: 400n * E18, total0: 198n * E18, total1: 220n * E18 }),
        [deposit],
      ),
      s2,
      OPTIONS,
    );
    const il3 = third.measurements.impermanentLossSinceInception as { loss: number; fraction: number };
    expect(il3.fraction).to.be.closeTo(il.fraction, 1e-12);
    expect(il3.loss).to.be.closeTo(2 * il.loss, 1e-9);

    // Block 4: fees collected at a withdrawal count per share of the supply before the withdrawal burns; a
    // Rebalance resets the "since rebalance" reference to the holdings after it.
    const s3 = third.state as MeasureState;
    const fourth = measureVault(
      snapshot(4, pool(tick), vault({ totalSupply: 400n * E18, total0: 202n * E18, total1: 220n * E18 }), [
        event("FeesCollected", { fees0: 4n * E18, fees1: 0n, protocolFees0: 0n, protocolFees1: 0n }, 3, 0),
        event(
          "Rebalance",
          { valueBefore: 1000n * E18, valueAfter: 999n * E18, swapAmount0: 0n, swapAmount1: 0n },
          3,
          1,
        ),
      ]),
      s3,
      OPTIONS,
    );
    const s4 = fourth.state as MeasureState;
    expect(s4.feesPerShare0 - s3.feesPerShare0).to.be.closeTo(4 / 400, 1e-15);
    expect(s4.lastRebalance).to.include({ kind: "rebalance", blockNumber: 4 });
    expect((fourth.measurements.impermanentLossSinceRebalance as { loss: number }).loss).to.be.closeTo(
      0,
      1e-12,
    );
    expect(
      (fourth.measurements.impermanentLossSinceInception as { fraction: number }).fraction,
    ).to.be.closeTo(il.fraction, 1e-12);
    expect(fourth.measurements.rebalance).to.deep.include({ lossAtTwap: 1 });
  });

  it("fee income per unit of liquidity from feeGrowthGlobal (wrapping), gas priced in token1, and the StrategySnapshot", function () {
    const tick = -2000;
    const price = priceFromTick(tick);
    // Just below 2^256: the growth wraps, as the contract's does.
    const near = (1n << 256n) - 5n * Q128;
    const v = vault({
      holderFeesOwed0: 3n,
      holderFeesOwed1: 4n,
      base: {
        tickLower: -2400,
        tickUpper: -1560,
        liquidity: 5n * E18,
        amount0: 1n,
        amount1: 1n,
        feesOwed0: 3n,
        feesOwed1: 4n,
      },
    });
    const a = measureVault(
      snapshot(1, pool(tick, { feeGrowthGlobal0X128: near, feeGrowthGlobal1X128: near }), v),
      null,
      OPTIONS,
    );
    const b = measureVault(
      snapshot(
        2,
        pool(tick, { feeGrowthGlobal0X128: near + 7n * Q128, feeGrowthGlobal1X128: near + 2n * Q128 }),
        v,
      ),
      a.state as MeasureState,
      OPTIONS,
    );
    // First interval: the sample itself (12 s between blocks).
    expect(b.strategySnapshot!.market.feeRatePerLiquidity).to.be.closeTo((7 * price + 2) / 12, 1e-12);
    // token1 is WETH: gas price (base fee 7 wei + 2 gwei tip) per unit of gas, in wei.
    expect(b.strategySnapshot!.market.gasCostPerUnit).to.equal(2_000_000_007);
    expect(b.strategySnapshot!.vault).to.deep.include({
      total0: 100n * E18 + 3n,
      total1: 100n * E18 + 4n,
      base: { tickLower: -2400, tickUpper: -1560, liquidity: 5n * E18 },
      limit: null,
      targetShare1: 0.5,
      lastRebalance: null,
    });
    expect(b.strategySnapshot!.vault.bounds).to.deep.equal({
      minBaseWidth: 600,
      maxBaseWidth: defaultVaultParams(60).maxBaseWidth,
      minLimitWidth: 60,
      maxLimitWidth: defaultVaultParams(60).maxLimitWidth,
      maxTwapDeviation: 100,
      minRebalanceInterval: 300,
    });
    expect(b.measurements.inRange).to.equal(true);

    const gas = {
      weth: MAINNET.weth,
      baseFeePerGas: 30n * 10n ** 9n,
      priorityFeePerGas: 2n * 10n ** 9n,
      maxFeePerGas: 25n * 10n ** 9n,
    };
    const at = (t: number, token0: Address, token1: Address) => ({
      token0,
      token1,
      sqrtPriceX96: getSqrtRatioAtTick(t),
    });
    // Capped by the max fee; WETH as token0: times P (token1 per wei of token0).
    expect(
      gasCostPerUnit({ ...gas, pool: at(tick, MAINNET.weth, TOKEN0), gasPricePool: null }),
    ).to.be.closeTo(25e9 * price, 1e-3);
    // Neither token WETH: through a WETH/token1 pool, in either order.
    const other = "0x0000000000000000000000000000000000000D00" as Address;
    expect(
      gasCostPerUnit({ ...gas, pool: at(0, other, TOKEN0), gasPricePool: at(tick, MAINNET.weth, TOKEN0) }),
    ).to.be.closeTo(25e9 * price, 1e-3);
    expect(
      gasCostPerUnit({
        ...gas,
        pool: at(0, other, MAINNET.usdc),
        gasPricePool: at(tick, MAINNET.usdc, MAINNET.weth),
      }),
    ).to.be.closeTo(25e9 / price, 1e-3);
    expect(() => gasCostPerUnit({ ...gas, pool: at(0, other, TOKEN0), gasPricePool: null })).to.throw(
      GasPricingError,
      /vaults\[\]\.gasPricePool: expected a Uniswap v3 pool of WETH/,
    );
  });

  it("realised LVR scales each swap by the vault's share of the liquidity it ended in, valued at the block's close", function () {
    const tick = 100;
    const price = priceFromTick(tick);
    const v = vault({
      base: {
        tickLower: -600,
        tickUpper: 600,
        liquidity: 2n * E18,
        amount0: 0n,
        amount1: 0n,
        feesOwed0: 0n,
        feesOwed1: 0n,
      },
      limit: {
        tickLower: 60,
        tickUpper: 180,
        liquidity: E18,
        amount0: 0n,
        amount1: 0n,
        feesOwed0: 0n,
        feesOwed1: 0n,
      },
    });
    const swap = (
      amount0: bigint,
      amount1: bigint,
      swapTick: number,
      liquidity: bigint,
      logIndex: number,
    ): PoolEvent => ({
      type: "Swap",
      pool: "0x0000000000000000000000000000000000000B00",
      logIndex,
      txHash: hash(logIndex),
      amount0,
      amount1,
      sqrtPriceX96: getSqrtRatioAtTick(swapTick),
      liquidity,
      tick: swapTick,
    });
    const swaps = [
      swap(10n * E18, -9n * E18, 150, 30n * E18, 0),
      swap(-5n * E18, 6n * E18, 700, 20n * E18, 1),
    ];
    const m = measureVault(snapshot(1, pool(tick), v, [], swaps), null, OPTIONS).measurements;
    const expected = realisedLvr([
      { amount0: 10e18, amount1: -9e18, feeAmount: 10e18 * 0.003, price, share: 3 / 30 },
      // Ended at tick 700, outside both ranges: none of it was the vault's.
      { amount0: -5e18, amount1: 6e18, feeAmount: 6e18 * 0.003, price, share: 0 },
    ]);
    expect(m.lvrBlock).to.be.closeTo(expected / 1e18, 1e-15);
    expect(m.lvr).to.equal(m.lvrBlock);
    // The first trade paid the pool more than fair at the close (a loss for the trader, a gain for LPs).
    expect(m.lvrBlock).to.be.closeTo(-(10 * 0.997 * price - 9) * (3 / 30), 1e-12);
  });

  it("VaR/CVaR of ranges plus idle token0 add up (one quantile price for all), and match Monte Carlo", function () {
    // domain.md's anchor for one range: L = 1, 1600–2500, P0 = 2000, σ = 0.8/yr, 30 days, 99 %.
    const tickOf = (p: number) => Math.round(Math.log(p) / Math.log(1.0001));
    const [lo, hi] = [tickOf(1600), tickOf(2500)];
    const one = vaultRisk({
      price: 2000,
      ranges: [{ liquidity: 1n, tickLower: lo, tickUpper: hi }],
      outside0: 0,
      volatility: 0.8,
      horizon: 30 / 365,
      confidence: 0.99,
    });
    const direct = valueAtRisk({
      liquidity: 1,
      price: 2000,
      priceLower: priceFromTick(lo),
      priceUpper: priceFromTick(hi),
      volatility: 0.8,
      horizon: 30 / 365,
      confidence: 0.99,
    });
    expect(one.valueAtRisk).to.be.closeTo(direct.valueAtRisk, 1e-12);
    expect(one.valueAtRisk).to.be.closeTo(3.73, 0.01);

    const ranges = [
      { liquidity: 3n, tickLower: lo, tickUpper: hi },
      { liquidity: 2n, tickLower: tickOf(1900), tickUpper: tickOf(1990) },
    ];
    const risk = vaultRisk({
      price: 2000,
      ranges,
      outside0: 0.05,
      volatility: 0.8,
      horizon: 30 / 365,
      confidence: 0.99,
    });
    const value = (p: number) =>
      0.05 * p +
      ranges.reduce(
        (sum, r) =>
          sum +
          positionValue({
            liquidity: Number(r.liquidity),
            price: p,
            priceLower: priceFromTick(r.tickLower),
            priceUpper: priceFromTick(r.tickUpper),
          }),
        0,
      );
    const random = new Random(7);
    const s = 0.8 * Math.sqrt(30 / 365);
    const losses = Array.from(
      { length: 200_000 },
      () => value(2000) - value(2000 * Math.exp((-s * s) / 2 + s * random.normal())),
    ).sort((a, b) => a - b);
    const cut = Math.floor(0.99 * losses.length);
    const mcVar = losses[cut]!;
    const mcCvar = losses.slice(cut).reduce((a, b) => a + b, 0) / (losses.length - cut);
    expect(risk.valueAtRisk).to.be.closeTo(mcVar, mcVar * 0.02);
    expect(risk.conditionalValueAtRisk).to.be.closeTo(mcCvar, mcCvar * 0.02);
    expect(risk.delta).to.be.greaterThan(0.05);
    expect(risk.gamma).to.be.lessThan(0);
  });

  it("continues after a restart exactly as without one: the carried state survives the database's JSON", function () {
    const random = new Random(3);
    let tick = 0;
    let growth = 0n;
    let uninterrupted: unknown = null;
    let restarted: unknown = null;
    for (let block = 1; block <= 40; block++) {
      tick += Math.round(random.normal() * 30);
      growth += BigInt(Math.round(random.next() * 1e6)) * (Q128 / 10n ** 6n);
      const s = snapshot(
        block,
        pool(tick, { feeGrowthGlobal0X128: growth, feeGrowthGlobal1X128: growth / 3n }),
        vault({}),
      );
      const a = measureVault(s, uninterrupted as MeasureState | null, OPTIONS);
      const b = measureVault(s, restarted as MeasureState | null, OPTIONS);
      expect(toJson(b.measurements)).to.equal(toJson(a.measurements));
      uninterrupted = a.state;
      restarted = fromJson(toJson(b.state));
    }
    expect((uninterrupted as MeasureState).volatility.rate).to.be.greaterThan(0);
  });
});
