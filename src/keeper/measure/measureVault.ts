import type { Address } from "viem";

import { EwmaVolatility, type EwmaVolatilityState } from "../../analytics/ewmaVolatility.js";
import { impermanentLoss } from "../../analytics/impermanentLoss.js";
import { impliedVolatility } from "../../analytics/impliedVolatility.js";
import { inventoryDrift } from "../../analytics/inventoryDrift.js";
import { priceFromSqrtPriceX96, priceFromTick } from "../../analytics/price.js";
import { probabilityInRange } from "../../analytics/probabilityInRange.js";
import { realisedLvr, type LvrSwap } from "../../analytics/realisedLvr.js";
import { SECONDS_PER_YEAR } from "../../analytics/realisedVolatility.js";
import type { MeasureConfig } from "../config/schema.js";
import type { Measurements, VaultSnapshot } from "../snapshot.js";
import type { MeasureResult } from "../strategy.js";
import type { VaultState } from "../vault/vaultState.js";
import { gasCostPerUnit } from "./gasCostPerUnit.js";
import { toStrategySnapshot } from "./toStrategySnapshot.js";
import { vaultRisk } from "./vaultRisk.js";

const Q128 = 2 ** 128;
const MAX_UINT256 = (1n << 256n) - 1n;

/**
 * A reference point for impermanent loss: the holdings per share then (lens totals / supply, raw units) and
 * the running sums at that moment, so IL, fees and LVR "since" it are differences. Holdings per share do not
 * change with deposits and withdrawals (both are proportional), so one reference serves the vault whatever
 * its supply does.
 */
export interface Reference {
  blockNumber: number;
  timestamp: number;
  /** "first-seen": the keeper's first block with shares; "rebalance": the block of a Rebalance event. */
  kind: "first-seen" | "rebalance";
  amount0PerShare: number;
  amount1PerShare: number;
  feesPerShare0: number;
  feesPerShare1: number;
  lvr: number;
}

/** What the measure step carries from block to block for a vault (stored with each snapshot). */
export interface MeasureState {
  blockNumber: number;
  timestamp: number;
  totalSupply: bigint;
  volatility: EwmaVolatilityState;
  /** Baselines and EWMA rates of the pool's fee growth and swap volume (token1 raw per second). */
  feeGrowth0X128: bigint;
  feeGrowth1X128: bigint;
  pendingVolume: number;
  feeRatePerLiquidity: number | null;
  volumeRate: number | null;
  /** Holders' fees collected into the vault since first seen: per share (raw), and in total (raw). */
  feesPerShare0: number;
  feesPerShare1: number;
  feesCollected0: number;
  feesCollected1: number;
  /** Realised LVR since first seen, token1 raw. */
  lvr: number;
  inception: Reference | null;
  lastRebalance: Reference | null;
}

export interface CreateMeasureParameters {
  measure: MeasureConfig;
  weth: Address;
  /** The keeper's tip and cap (gas config), in wei: what a rebalance would pay per gas now. */
  priorityFeePerGas: bigint;
  maxFeePerGas: bigint;
}

/**
 * The keeper's measure step for RangeVaults: from one confirmed block's snapshot and the state carried from
 * the previous block it derives value, fees (uncollected and collected), IL since inception and since the last
 * rebalance, LVR (rate and realised), inventory drift, delta/gamma, EWMA and implied volatility, VaR/CVaR and
 * the probability of being in range, and builds the StrategySnapshot. Pure: same snapshot and state, same
 * result. Token figures in the measurements are in whole token1 (token0 for delta) units.
 */
export function createMeasure(options: CreateMeasureParameters) {
  return (snapshot: VaultSnapshot<VaultState>, carried: unknown): MeasureResult =>
    measureVault(snapshot, (carried ?? null) as MeasureState | null, options);
}

export function measureVault(
  snapshot: VaultSnapshot<VaultState>,
  previous: MeasureState | null,
  options: CreateMeasureParameters,
): MeasureResult {
  const vault = snapshot.vaultState;
  if (vault === null) return { measurements: {}, strategySnapshot: null, state: previous };
  const { pool, block } = snapshot;
  const timestamp = Number(block.timestamp);
  const price = priceFromSqrtPriceX96(pool.sqrtPriceX96);
  const unit1 = 10 ** pool.decimals1;
  const unit0 = 10 ** pool.decimals0;
  const cfg = options.measure;

  // Volatility and the pool's rates: fed once per block, decayed by time, so restarts and gaps are exact.
  const ewma = previous
    ? EwmaVolatility.fromState(previous.volatility)
    : new EwmaVolatility({ halfLifeSeconds: cfg.volatilityHalfLifeSeconds });
  if (previous === null || timestamp >= previous.timestamp) ewma.update(timestamp, price);
  // Loops rather than closures here and below: this runs for every vault in every block.
  let blockVolume = 0;
  for (const e of snapshot.events) if (e.type === "Swap") blockVolume += Math.abs(Number(e.amount1));
  let feeRatePerLiquidity = previous?.feeRatePerLiquidity ?? null;
  let volumeRate = previous?.volumeRate ?? null;
  let pendingVolume = (previous?.pendingVolume ?? 0) + blockVolume;
  let [feeGrowth0X128, feeGrowth1X128] = [pool.feeGrowthGlobal0X128, pool.feeGrowthGlobal1X128];
  const dt = previous === null ? 0 : timestamp - previous.timestamp;
  if (previous !== null && dt > 0) {
    const grown0 = Number((pool.feeGrowthGlobal0X128 - previous.feeGrowth0X128) & MAX_UINT256) / Q128;
    const grown1 = Number((pool.feeGrowthGlobal1X128 - previous.feeGrowth1X128) & MAX_UINT256) / Q128;
    const weight = Math.pow(2, -dt / cfg.rateHalfLifeSeconds);
    feeRatePerLiquidity = blend(weight, feeRatePerLiquidity, (grown0 * price + grown1) / dt);
    volumeRate = blend(weight, volumeRate, pendingVolume / dt);
    pendingVolume = 0;
  } else if (previous !== null) {
    // Same timestamp as the previous block: keep the old baseline so the growth counts in the next interval.
    [feeGrowth0X128, feeGrowth1X128] = [previous.feeGrowth0X128, previous.feeGrowth1X128];
  }
  const volatility = ewma.volatility() ?? cfg.initialVolatility;

  // Fees collected into the vault this block, per share at the supply each transaction started from.
  let feesPerShare0 = previous?.feesPerShare0 ?? 0;
  let feesPerShare1 = previous?.feesPerShare1 ?? 0;
  let feesCollected0 = previous?.feesCollected0 ?? 0;
  let feesCollected1 = previous?.feesCollected1 ?? 0;
  let supplyChange = 0n;
  for (const e of snapshot.vaultEvents) {
    if (e.eventName === "Deposit") supplyChange += e.args.shares as bigint;
    else if (e.eventName === "Withdraw") supplyChange -= e.args.shares as bigint;
  }
  let supply = previous?.totalSupply ?? vault.totalSupply - supplyChange;
  let txSupply = supply;
  let lastTx: string | null = null;
  let rebalance: { txHash: string; args: Record<string, unknown> } | null = null;
  for (const event of snapshot.vaultEvents) {
    if (event.txHash !== lastTx) [lastTx, txSupply] = [event.txHash, supply];
    const args = event.args;
    if (event.eventName === "FeesCollected") {
      const holders0 = Number((args.fees0 as bigint) - (args.protocolFees0 as bigint));
      const holders1 = Number((args.fees1 as bigint) - (args.protocolFees1 as bigint));
      feesCollected0 += holders0;
      feesCollected1 += holders1;
      if (txSupply > 0n) {
        feesPerShare0 += holders0 / Number(txSupply);
        feesPerShare1 += holders1 / Number(txSupply);
      }
    } else if (event.eventName === "Deposit") supply += args.shares as bigint;
    else if (event.eventName === "Withdraw") supply -= args.shares as bigint;
    else if (event.eventName === "Rebalance") rebalance = { txHash: event.txHash, args };
  }

  // Realised LVR of this block's swaps, valued at the block's closing price (the "next" price), each scaled by
  // the vault's share of the liquidity the swap ended in.
  const ranges: NonNullable<VaultState["base"]>[] = [];
  if (vault.base !== null) ranges.push(vault.base);
  if (vault.limit !== null) ranges.push(vault.limit);
  const feeFraction = pool.fee / 1e6;
  const swaps: LvrSwap[] = [];
  for (const e of snapshot.events) {
    if (e.type !== "Swap" || e.liquidity === 0n) continue;
    swaps.push({
      amount0: Number(e.amount0),
      amount1: Number(e.amount1),
      feeAmount: Math.max(Number(e.amount0), Number(e.amount1), 0) * feeFraction,
      price,
      share: Number(liquidityAt(ranges, e.tick)) / Number(e.liquidity),
    });
  }
  const lvrBlock = realisedLvr(swaps);
  const lvr = (previous?.lvr ?? 0) + lvrBlock;

  // Holdings: the lens's totals (principal at spot, idle, compounded fees) and the holders' uncollected fees.
  const owed0 = Number(vault.holderFeesOwed0 ?? 0n);
  const owed1 = Number(vault.holderFeesOwed1 ?? 0n);
  const held0 = Number(vault.total0) + owed0;
  const held1 = Number(vault.total1) + owed1;
  const targetShare1 = vault.params.targetToken1Bps / 10_000;
  const drift = inventoryDrift({ amount0: held0, amount1: held1, price, targetShare1 });
  const shares = Number(vault.totalSupply);
  const now: ReferenceInputs = {
    blockNumber: Number(block.number),
    timestamp,
    shares,
    total0: Number(vault.total0),
    total1: Number(vault.total1),
    feesPerShare0,
    feesPerShare1,
    lvr,
    price,
    unit1,
  };
  const inception = previous?.inception ?? referenceNow(now, "first-seen");
  const lastRebalance =
    rebalance !== null ? referenceNow(now, "rebalance") : (previous?.lastRebalance ?? inception);

  const horizon = cfg.riskHorizonSeconds / SECONDS_PER_YEAR;
  const risk = vaultRisk({
    price,
    ranges,
    outside0: Number(vault.idle0) + owed0,
    // The closed forms need σ > 0: a pool whose price never moved gets a negligible one.
    volatility: Math.max(volatility, 1e-9),
    horizon,
    confidence: cfg.confidence,
  });
  const base = vault.base;
  const implied =
    volumeRate === null || pool.liquidity === 0n
      ? null
      : impliedVolatility({
          feeRate: feeFraction,
          volume: volumeRate * 86_400,
          periodSeconds: 86_400,
          liquidity: Number(pool.liquidity),
          tick: pool.tick,
          tickSpacing: pool.tickSpacing,
          price,
        });
  const gas = gasCostPerUnit({
    pool,
    gasPricePool: snapshot.gasPricePool,
    weth: options.weth,
    baseFeePerGas: block.baseFeePerGas,
    priorityFeePerGas: options.priorityFeePerGas,
    maxFeePerGas: options.maxFeePerGas,
  });
  const sinceInception = ilSince(now, inception);
  const sinceRebalance = ilSince(now, lastRebalance);
  const measurements: Measurements = {
    price,
    value: drift.value / unit1,
    drift: drift.drift,
    token1Share: drift.share1,
    inRange: base !== null && base.tickLower <= pool.tick && pool.tick < base.tickUpper,
    impermanentLoss: sinceInception?.fraction,
    impermanentLossSinceInception: sinceInception,
    impermanentLossSinceRebalance: sinceRebalance,
    fees: (owed0 * price + owed1 + feesCollected0 * price + feesCollected1) / unit1,
    feesUncollected: (owed0 * price + owed1) / unit1,
    feesCollected: (feesCollected0 * price + feesCollected1) / unit1,
    lvr: lvr / unit1,
    lvrSinceRebalance: (lvr - (lastRebalance?.lvr ?? 0)) / unit1,
    lvrBlock: lvrBlock / unit1,
    lvrRatePerDay: (risk.lvrRatePerYear * (86_400 / SECONDS_PER_YEAR)) / unit1,
    delta: risk.delta / unit0,
    gamma: risk.gamma,
    // The value a 1 % move costs through convexity: ½·Γ·(0.01·P)², token1 units.
    gammaPerPercentMove: (0.5 * risk.gamma * (0.01 * price) ** 2) / unit1,
    volatility,
    impliedVolatility: implied,
    riskHorizonSeconds: cfg.riskHorizonSeconds,
    confidence: cfg.confidence,
    valueAtRisk: risk.valueAtRisk / unit1,
    conditionalValueAtRisk: risk.conditionalValueAtRisk / unit1,
    probabilityInRange:
      base === null
        ? 0
        : probabilityInRange({
            price,
            priceLower: priceFromTick(base.tickLower),
            priceUpper: priceFromTick(base.tickUpper),
            volatility: Math.max(volatility, 1e-9),
            horizon,
          }),
    feeRatePerLiquidity: feeRatePerLiquidity ?? 0,
    gasCostPerUnit: gas,
    ...(rebalance === null
      ? {}
      : {
          rebalance: {
            txHash: rebalance.txHash,
            lossAtTwap:
              Number((rebalance.args.valueBefore as bigint) - (rebalance.args.valueAfter as bigint)) / unit1,
            swapAmount0: Number(rebalance.args.swapAmount0 as bigint) / unit0,
            swapAmount1: Number(rebalance.args.swapAmount1 as bigint) / unit1,
          },
        }),
  };
  const state: MeasureState = {
    blockNumber: Number(block.number),
    timestamp: Math.max(timestamp, previous?.timestamp ?? timestamp),
    totalSupply: vault.totalSupply,
    volatility: ewma.state(),
    feeGrowth0X128,
    feeGrowth1X128,
    pendingVolume,
    feeRatePerLiquidity,
    volumeRate,
    feesPerShare0,
    feesPerShare1,
    feesCollected0,
    feesCollected1,
    lvr,
    inception,
    lastRebalance,
  };
  return {
    measurements,
    strategySnapshot: toStrategySnapshot({
      timestamp,
      pool,
      vault,
      market: { volatility, feeRatePerLiquidity: feeRatePerLiquidity ?? 0, gasCostPerUnit: gas },
    }),
    state,
  };
}

function blend(weight: number, rate: number | null, sample: number): number {
  return rate === null ? sample : weight * rate + (1 - weight) * sample;
}

/** The vault's liquidity in force at `tick`: the sum over its ranges holding it. */
function liquidityAt(
  ranges: readonly { tickLower: number; tickUpper: number; liquidity: bigint }[],
  tick: number,
) {
  let sum = 0n;
  for (const r of ranges) if (r.tickLower <= tick && tick < r.tickUpper) sum += r.liquidity;
  return sum;
}

/** What a reference and the IL since one are computed from, at this block. */
interface ReferenceInputs {
  blockNumber: number;
  timestamp: number;
  /** Total supply (as a number), lens totals and the running sums at this block. */
  shares: number;
  total0: number;
  total1: number;
  feesPerShare0: number;
  feesPerShare1: number;
  lvr: number;
  price: number;
  unit1: number;
}

function referenceNow(now: ReferenceInputs, kind: Reference["kind"]): Reference | null {
  return now.shares === 0
    ? null
    : {
        blockNumber: now.blockNumber,
        timestamp: now.timestamp,
        kind,
        amount0PerShare: now.total0 / now.shares,
        amount1PerShare: now.total1 / now.shares,
        feesPerShare0: now.feesPerShare0,
        feesPerShare1: now.feesPerShare1,
        lvr: now.lvr,
      };
}

/** IL since a reference, fees excluded: the holdings per share less the fees compounded into them since. */
function ilSince(now: ReferenceInputs, ref: Reference | null) {
  const { shares, price } = now;
  if (ref === null || shares === 0) return null;
  const value =
    (now.total0 / shares - (now.feesPerShare0 - ref.feesPerShare0)) * price +
    (now.total1 / shares - (now.feesPerShare1 - ref.feesPerShare1));
  const il = impermanentLoss({
    price,
    value: value * shares,
    reference: { amount0: ref.amount0PerShare * shares, amount1: ref.amount1PerShare * shares },
  });
  return { loss: il.loss / now.unit1, fraction: il.fraction, since: ref.blockNumber, kind: ref.kind };
}
