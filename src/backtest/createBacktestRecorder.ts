import { priceFromSqrtPriceX96, priceFromTick } from "../analytics/price.js";
import { SECONDS_PER_YEAR } from "../analytics/realisedVolatility.js";
import type { RebalanceEconomics, RebalanceTrigger } from "../strategies/types.js";
import type { RebalanceRecord, RunResult, RunSeries, TokenInfo } from "./backtestResult.js";
import { holdingsValueAtRisk } from "./holdingsValueAtRisk.js";

/** A range the vault holds, as read from the pool (or the model). */
export interface RecordedRange {
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
}

/** The vault at one step (a block, a bar): what a keeper reads from the chain, or the backtester from its model. */
export interface RecordedStep {
  timestamp: number;
  sqrtPriceX96: bigint;
  tick: number;
  base: RecordedRange | null;
  limit: RecordedRange | null;
  /** Holders' idle tokens (the vault's balances minus accrued protocol fees), raw units. */
  idle0: number;
  idle1: number;
  /** Holders' part of the fees the pool owes the ranges but has not paid yet, raw units. */
  uncollected0: number;
  uncollected1: number;
  /** Holders' fees since the start, collected and uncollected together, raw units. */
  feesEarned0: number;
  feesEarned1: number;
  /** The measured annualised volatility, for the predicted VaR (null while unknown). */
  volatility: number | null;
}

/** A rebalance the strategy asked for: mined (or modelled), or reverted. */
export interface RecordedRebalance {
  timestamp: number;
  trigger: RebalanceTrigger | null;
  reasons: string[];
  economics: RebalanceEconomics | null;
  /** The mid price before the rebalance, to value its swap against. */
  sqrtPriceX96Before: bigint;
  /** The swap's pool deltas (positive: paid by the vault), raw units. */
  swapAmount0: bigint;
  swapAmount1: bigint;
  gasUsed: number;
  /** Gas cost in token1 raw units. */
  gasCostToken1: number;
  base: RecordedRange | null;
  limit: RecordedRange | null;
  /** The vault's revert (then nothing else of the record applies), or null. */
  reverted: string | null;
}

export interface BacktestRecorderOptions {
  name: string;
  role: RunResult["role"];
  params: unknown;
  token0: TokenInfo;
  token1: TokenInfo;
  /** The token money is counted in. */
  numeraire: 0 | 1;
  /** What was deposited at the start (raw units): the holding every figure is compared with. */
  deposit: { amount0: number; amount1: number };
  targetShare1: number;
  /** Horizon and confidence of the VaR figures. */
  riskHorizonSeconds: number;
  confidence?: number;
  /** Points kept for the charts. */
  maxPoints?: number;
}

export interface BacktestRecorder {
  step(step: RecordedStep): void;
  rebalance(rebalance: RecordedRebalance): void;
  finish(): RunResult;
}

interface PendingWindow {
  start: number;
  value: number;
  holdings: { positions: HeldRange[]; idle0: number; idle1: number };
  predictedVaR: number;
  predictedCVaR: number;
}

/**
 * Turns a vault's steps and rebalances into a RunResult: the same code for the fast backtest (which feeds it
 * from its model) and the end-to-end demo (which feeds it from chain reads), so both end with the same report.
 * Money is converted to the numeraire at each step's own price; LVR is measured step by step as what the
 * ranges gave up against holding their previous tokens, valued at the new price; the VaR windows revalue the
 * holdings of each window's start at its end's price.
 */
export function createBacktestRecorder(options: BacktestRecorderOptions): BacktestRecorder {
  const { token0, token1, numeraire, deposit } = options;
  const confidence = options.confidence ?? 0.95;
  const maxPoints = options.maxPoints ?? 2000;
  const scale0 = 10 ** token0.decimals;
  const scale1 = 10 ** token1.decimals;
  const rawToUnits = scale0 / scale1;
  /** Value of raw amounts at raw price P in numeraire units. */
  const valueOf = (amount0: number, amount1: number, price: number) =>
    numeraire === 1 ? (amount0 * price + amount1) / scale1 : (amount0 + amount1 / price) / scale0;
  const displayPrice = (price: number) => (numeraire === 1 ? price * rawToUnits : 1 / (price * rawToUnits));
  const deposit0 = deposit.amount0;
  const deposit1 = deposit.amount1;

  const all = {
    timestamp: [] as number[],
    price: [] as number[],
    base: [] as ([number, number] | null)[],
    limit: [] as ([number, number] | null)[],
    value: [] as number[],
    holdValue: [] as number[],
    share1: [] as number[],
    fees: [] as number[],
    lvr: [] as number[],
  };
  const log: RebalanceRecord[] = [];
  let held: HeldRange[] = [];
  let heldFrom: [RecordedRange | null, RecordedRange | null] = [null, null];
  let heldBounds: [[number, number] | null, [number, number] | null] = [null, null];
  let lastPrice: number | null = null;
  let lastFees: [number, number] = [0, 0];
  let fees = 0;
  let lvr = 0;
  let gas = 0;
  let swapCost = 0;
  let inRangeSeconds = 0;
  let seconds = 0;
  let lastTimestamp: number | null = null;
  let peak = -Infinity;
  let maxDrawdown = 0;
  let driftSum = 0;
  let driftWeight = 0;
  let maxAbsDrift = 0;
  const pending: PendingWindow[] = [];
  const windows: { predictedVaR: number; predictedCVaR: number; loss: number }[] = [];
  const windowEvery = options.riskHorizonSeconds / 12;
  let nextWindow = -Infinity;
  let first: { value: number } | null = null;
  let last: { value: number; hold: number } = { value: 0, hold: 0 };

  const rangesOf = (base: RecordedRange | null, limit: RecordedRange | null): HeldRange[] =>
    [base, limit]
      .filter((r): r is RecordedRange => r !== null && r.liquidity > 0n)
      .map((r) => {
        const [priceLower, priceUpper] = [priceFromTick(r.tickLower), priceFromTick(r.tickUpper)];
        return {
          liquidity: Number(r.liquidity),
          priceLower,
          priceUpper,
          sqrtLower: Math.sqrt(priceLower),
          sqrtUpper: Math.sqrt(priceUpper),
        };
      });
  const bounds = (r: RecordedRange | null): [number, number] | null => {
    if (r === null || r.liquidity === 0n) return null;
    const [a, b] = [displayPrice(priceFromTick(r.tickLower)), displayPrice(priceFromTick(r.tickUpper))];
    return a < b ? [a, b] : [b, a];
  };

  return {
    step(step) {
      const price = priceFromSqrtPriceX96(step.sqrtPriceX96);
      // LVR: the ranges held over the step against holding their tokens from the previous price, at the new one.
      const [after0, after1] = amountsOf(held, price);
      if (lastPrice !== null && held.length > 0) {
        const [before0, before1] = amountsOf(held, lastPrice);
        lvr += valueOf(before0 - after0, before1 - after1, price);
      }
      const earned: [number, number] = [step.feesEarned0, step.feesEarned1];
      fees += valueOf(earned[0] - lastFees[0], earned[1] - lastFees[1], price);
      lastFees = earned;
      // The same range objects as the step before (the backtester reuses them) need no recomputation.
      const changed = step.base !== heldFrom[0] || step.limit !== heldFrom[1];
      if (changed) {
        held = rangesOf(step.base, step.limit);
        heldFrom = [step.base, step.limit];
        heldBounds = [bounds(step.base), bounds(step.limit)];
      }
      lastPrice = price;

      const [in0, in1] = changed ? amountsOf(held, price) : [after0, after1];
      const amount0 = in0 + step.idle0 + step.uncollected0;
      const amount1 = in1 + step.idle1 + step.uncollected1;
      const value = valueOf(amount0, amount1, price);
      const hold = valueOf(deposit0, deposit1, price);
      const value1 = amount0 * price + amount1;
      const share1 = value1 > 0 ? amount1 / value1 : options.targetShare1;
      first ??= { value };
      last = { value, hold };

      if (lastTimestamp !== null) {
        const dt = step.timestamp - lastTimestamp;
        seconds += dt;
        if (
          step.base !== null &&
          step.base.liquidity > 0n &&
          step.tick >= step.base.tickLower &&
          step.tick < step.base.tickUpper
        )
          inRangeSeconds += dt;
        const drift = Math.abs(share1 - options.targetShare1);
        driftSum += drift * dt;
        driftWeight += dt;
      }
      maxAbsDrift = Math.max(maxAbsDrift, Math.abs(share1 - options.targetShare1));
      lastTimestamp = step.timestamp;
      peak = Math.max(peak, value);
      if (peak > 0) maxDrawdown = Math.max(maxDrawdown, (peak - value) / peak);

      // VaR windows: close those that reached their horizon, open one every horizon / 12.
      while (pending.length > 0 && step.timestamp - pending[0]!.start >= options.riskHorizonSeconds) {
        const w = pending.shift()!;
        const end = windowValue(w.holdings, price);
        windows.push({
          predictedVaR: w.predictedVaR,
          predictedCVaR: w.predictedCVaR,
          loss: (w.value - end) / w.value,
        });
      }
      if (step.volatility !== null && step.volatility > 0 && step.timestamp >= nextWindow && value1 > 0) {
        const holdings = {
          positions: held,
          idle0: step.idle0 + step.uncollected0,
          idle1: step.idle1 + step.uncollected1,
        };
        const risk = holdingsValueAtRisk(holdings, {
          price,
          volatility: step.volatility,
          horizon: options.riskHorizonSeconds / SECONDS_PER_YEAR,
          confidence,
        });
        pending.push({
          start: step.timestamp,
          value: risk.value,
          holdings,
          predictedVaR: risk.valueAtRisk / risk.value,
          predictedCVaR: risk.conditionalValueAtRisk / risk.value,
        });
        nextWindow = step.timestamp + windowEvery;
      }

      all.timestamp.push(step.timestamp);
      all.price.push(price);
      all.base.push(heldBounds[0]);
      all.limit.push(heldBounds[1]);
      all.value.push(value);
      all.holdValue.push(hold);
      all.share1.push(share1);
      all.fees.push(fees);
      all.lvr.push(lvr);
    },

    rebalance(r) {
      const price = priceFromSqrtPriceX96(r.sqrtPriceX96Before);
      const record: RebalanceRecord = {
        timestamp: r.timestamp,
        trigger: r.trigger,
        reasons: r.reasons,
        economics: r.economics,
        baseLower: r.reverted === null && r.base !== null ? r.base.tickLower : null,
        baseUpper: r.reverted === null && r.base !== null ? r.base.tickUpper : null,
        limitLower: r.reverted === null && r.limit !== null ? r.limit.tickLower : null,
        limitUpper: r.reverted === null && r.limit !== null ? r.limit.tickUpper : null,
        gasUsed: r.reverted === null ? r.gasUsed : 0,
        gasCost: 0,
        swapCost: 0,
        reverted: r.reverted,
      };
      if (r.reverted === null) {
        record.gasCost = valueOf(0, r.gasCostToken1, price);
        record.swapCost = valueOf(Number(r.swapAmount0), Number(r.swapAmount1), price);
        gas += record.gasCost;
        swapCost += record.swapCost;
        held = rangesOf(r.base, r.limit);
        heldFrom = [r.base, r.limit];
        heldBounds = [bounds(r.base), bounds(r.limit)];
      }
      log.push(record);
    },

    finish() {
      const startValue = first?.value ?? 0;
      const endValue = last.value;
      const holdEndValue = last.hold;
      const impermanentLoss = endValue - holdEndValue - fees + swapCost;
      return {
        name: options.name,
        role: options.role,
        params: options.params,
        startValue,
        endValue,
        holdEndValue,
        attribution: {
          fees,
          impermanentLoss,
          lvr,
          gas,
          swapCost,
          net: fees + impermanentLoss - swapCost - gas,
        },
        timeInRange: seconds > 0 ? inRangeSeconds / seconds : 0,
        rebalances: log.filter((r) => r.reverted === null).length,
        revertedRebalances: log.filter((r) => r.reverted !== null).length,
        maxDrawdown,
        targetShare1: options.targetShare1,
        meanAbsDrift: driftWeight > 0 ? driftSum / driftWeight : 0,
        maxAbsDrift,
        risk: riskFigures(windows, options.riskHorizonSeconds, confidence),
        rebalanceLog: log,
        series: downsample(all, maxPoints, displayPrice),
      };
    },
  };
}

interface HeldRange {
  liquidity: number;
  priceLower: number;
  priceUpper: number;
  sqrtLower: number;
  sqrtUpper: number;
}

/**
 * Amounts of ranges at `price`: positionAmounts' x = L(1/√P − 1/√Pb), y = L(√P − √Pa) with P clamped to the
 * range, inlined with the bounds' square roots kept, since it runs several times per step.
 */
function amountsOf(ranges: readonly HeldRange[], price: number): readonly [number, number] {
  let [amount0, amount1] = [0, 0];
  const sqrtP = Math.sqrt(price);
  for (const range of ranges) {
    const s = Math.min(Math.max(sqrtP, range.sqrtLower), range.sqrtUpper);
    amount0 += range.liquidity * (1 / s - 1 / range.sqrtUpper);
    amount1 += range.liquidity * (s - range.sqrtLower);
  }
  return [amount0, amount1];
}

function windowValue(holdings: PendingWindow["holdings"], price: number): number {
  const [amount0, amount1] = amountsOf(holdings.positions, price);
  return (holdings.idle0 + amount0) * price + holdings.idle1 + amount1;
}

function riskFigures(
  windows: { predictedVaR: number; predictedCVaR: number; loss: number }[],
  horizonSeconds: number,
  confidence: number,
): RunResult["risk"] {
  if (windows.length === 0) return null;
  const losses = windows.map((w) => w.loss).sort((a, b) => b - a);
  const tail = losses.slice(0, Math.max(1, Math.ceil((1 - confidence) * losses.length)));
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    horizonSeconds,
    confidence,
    windows: windows.length,
    predictedVaR: mean(windows.map((w) => w.predictedVaR)),
    predictedCVaR: mean(windows.map((w) => w.predictedCVaR)),
    realisedVaR: tail.at(-1)!,
    realisedCVaR: mean(tail),
    exceedanceRate: windows.filter((w) => w.loss > w.predictedVaR).length / windows.length,
  };
}

function downsample(
  all: {
    timestamp: number[];
    price: number[];
    base: ([number, number] | null)[];
    limit: ([number, number] | null)[];
    value: number[];
    holdValue: number[];
    share1: number[];
    fees: number[];
    lvr: number[];
  },
  maxPoints: number,
  displayPrice: (price: number) => number,
): RunSeries {
  const n = all.timestamp.length;
  const every = Math.max(1, Math.ceil(n / maxPoints));
  const picked: number[] = [];
  for (let i = 0; i < n; i += every) picked.push(i);
  if (n > 0 && picked.at(-1) !== n - 1) picked.push(n - 1);
  const pick = <T>(xs: T[]) => picked.map((i) => xs[i]!);
  return {
    timestamp: pick(all.timestamp),
    displayPrice: pick(all.price).map(displayPrice),
    baseLow: pick(all.base).map((b) => b?.[0] ?? null),
    baseHigh: pick(all.base).map((b) => b?.[1] ?? null),
    limitLow: pick(all.limit).map((b) => b?.[0] ?? null),
    limitHigh: pick(all.limit).map((b) => b?.[1] ?? null),
    value: pick(all.value),
    holdValue: pick(all.holdValue),
    share1: pick(all.share1),
    fees: pick(all.fees),
    lvr: pick(all.lvr),
  };
}
