import { EwmaVolatility } from "../analytics/ewmaVolatility.js";
import { priceFromSqrtPriceX96, priceFromTick } from "../analytics/price.js";
import type { VaultParams } from "../chain/vault/params.js";
import type { PureStrategy, StrategySnapshot, VaultBounds } from "../strategies/types.js";
import { PoolRevertError } from "../uniswap/errors.js";
import type { BacktestMeta, RunResult, TokenInfo } from "./backtestResult.js";
import {
  createBacktestRecorder,
  type BacktestRecorder,
  type RecordedRange,
} from "./createBacktestRecorder.js";
import { depositAmounts } from "./depositAmounts.js";
import { BacktestInputError } from "./errors.js";
import { gasCostPerUnit } from "./gasModel.js";
import type { MarketPath } from "./marketPath.js";
import { depositIntoVault } from "./vault/depositIntoVault.js";
import { VaultRevertError } from "./vault/errors.js";
import { rebalanceVault } from "./vault/rebalanceVault.js";
import { twapTick } from "./vault/vaultInternals.js";
import { createVaultModel, type VaultModel } from "./vault/vaultModel.js";

/** The vault's address in the simulated pool (any string names a position owner). */
export const VAULT_OWNER = "0x000000000000000000000000000000000000a11c";
const DEPOSITOR = "0x000000000000000000000000000000000000d0d0";
const Q128 = 2 ** 128;

export interface RunStrategyOnPathOptions {
  path: MarketPath;
  strategy: PureStrategy<unknown, unknown>;
  /** Params already parsed by the strategy. */
  params: unknown;
  name: string;
  role: RunResult["role"];
  token0: TokenInfo;
  token1: TokenInfo;
  numeraire: 0 | 1;
  /** Value deposited when the warm-up ends, in numeraire units, split at the vault's target mix. */
  capital: number;
  vaultParams: VaultParams;
  protocolFeeBps: number;
  gas: BacktestMeta["gas"];
  /** Seconds of history that only feed the estimators before the vault is funded. */
  warmupSeconds: number;
  volatilityHalfLifeSeconds: number;
  /** Annualised volatility assumed until the EWMA has seen a price move (the keeper's measure.initialVolatility); default 0. */
  initialVolatility?: number;
  feeRateHalfLifeSeconds: number;
  riskHorizonSeconds: number;
  /**
   * Seconds from a decision to its rebalance: 0 executes it at the step's own time; the demo's chain mines the
   * keeper's transaction in the next block, a second after the step's, and the estimators read that block too
   * (default 0).
   */
  executionDelaySeconds?: number;
}

/** A range the vault holds, with what its fees and amounts need each step (fixed until the next rebalance). */
interface HeldRange {
  range: RecordedRange;
  liquidity: number;
  sqrtLower: number;
  sqrtUpper: number;
  last0: bigint;
  last1: bigint;
  owed0: number;
  owed1: number;
}

/**
 * Runs one strategy over a path, as the keeper would run it over the chain: at every step the path moves the
 * pool, the vault's state is read into the StrategySnapshot the keeper builds (volatility and fee rate from
 * time-decayed estimators), the strategy decides, and a plan goes through the vault model exactly as the
 * contract executes it (a revert is recorded, no gas counted: the keeper simulates first). The per-step reads
 * (amounts at the price, fees owed) are computed in doubles from the ranges' liquidity and fee growth, as a
 * keeper computes them from its reads; rebalances, deposits and fees collected are the model's, to the wei.
 */
export function runStrategyOnPath(options: RunStrategyOnPathOptions): RunResult {
  const { path, strategy, params } = options;
  const model: VaultModel = createVaultModel({
    pool: path.createPool(),
    address: VAULT_OWNER,
    params: options.vaultParams,
    protocolFeeBps: options.protocolFeeBps,
  });
  const bounds: VaultBounds = {
    minBaseWidth: model.params.minBaseWidth,
    maxBaseWidth: model.params.maxBaseWidth,
    minLimitWidth: model.params.minLimitWidth,
    maxLimitWidth: model.params.maxLimitWidth,
    maxTwapDeviation: model.params.maxTwapDeviation,
    minRebalanceInterval: model.params.minRebalanceInterval,
  };
  const targetShare1 = options.vaultParams.targetToken1Bps / 10_000;
  const volatility = new EwmaVolatility({ halfLifeSeconds: options.volatilityHalfLifeSeconds });
  let feeRate: number | null = null;
  let [lastTime, lastG0, lastG1] = [-Infinity, 0n, 0n];
  const costPerGas = gasCostPerUnit(options.gas);
  const keep = 1 - options.protocolFeeBps / 10_000;
  const start = path.timestamps[0]! + options.warmupSeconds;

  let recorder: BacktestRecorder | null = null;
  let memory = strategy.initialMemory();
  let collected0 = 0;
  let collected1 = 0;
  let held: { base: HeldRange | null; limit: HeldRange | null } = { base: null, limit: null };
  let idle0 = 0;
  let idle1 = 0;
  const readHoldings = () => {
    held = {
      base: heldRange(model, model.baseLower, model.baseUpper),
      limit: heldRange(model, model.limitLower, model.limitUpper),
    };
    idle0 = Number(model.balance0 - model.protocolFees0);
    idle1 = Number(model.balance1 - model.protocolFees1);
  };

  /** Feeds the estimators the pool as it stands at `time`, as the keeper's measure step does each block. */
  const observe = (time: number) => {
    const sim = model.pool;
    const price = priceFromSqrtPriceX96(sim.sqrtPriceX96);
    volatility.update(time, price);
    const [g0, g1] = [sim.feeGrowthGlobal0X128, sim.feeGrowthGlobal1X128];
    if (time > lastTime) {
      if (lastTime > -Infinity) {
        const dt = time - lastTime;
        const earned = (Number(g0 - lastG0) / Q128) * price + Number(g1 - lastG1) / Q128;
        const weight = Math.pow(2, -dt / options.feeRateHalfLifeSeconds);
        feeRate = feeRate === null ? earned / dt : weight * feeRate + (1 - weight) * (earned / dt);
      }
      [lastTime, lastG0, lastG1] = [time, g0, g1];
    }
    return price;
  };

  for (let i = 0; i < path.timestamps.length; i++) {
    path.applyStep(model.pool, i);
    const time = path.timestamps[i]!;
    const sim = model.pool;
    const price = observe(time);
    if (time < start) continue;

    if (recorder === null) {
      const amounts = depositAmounts({ ...options, price, targetShare1 });
      const deposit = depositIntoVault(model, {
        to: DEPOSITOR,
        amount0Desired: amounts.amount0,
        amount1Desired: amounts.amount1,
      });
      readHoldings();
      recorder = createBacktestRecorder({
        name: options.name,
        role: options.role,
        params,
        token0: options.token0,
        token1: options.token1,
        numeraire: options.numeraire,
        deposit: { amount0: Number(deposit.amount0), amount1: Number(deposit.amount1) },
        targetShare1,
        riskHorizonSeconds: options.riskHorizonSeconds,
      });
    }

    let [total0, total1, owed0, owed1] = [idle0, idle1, 0, 0];
    const sqrtP = Math.sqrt(price);
    const add = (h: HeldRange | null) => {
      if (h === null) return;
      const s = Math.min(Math.max(sqrtP, h.sqrtLower), h.sqrtUpper);
      total0 += h.liquidity * (1 / s - 1 / h.sqrtUpper);
      total1 += h.liquidity * (s - h.sqrtLower);
      const inside = sim.feeGrowthInside(h.range.tickLower, h.range.tickUpper);
      owed0 +=
        h.owed0 + (Number(BigInt.asUintN(256, inside.feeGrowthInside0X128 - h.last0)) / Q128) * h.liquidity;
      owed1 +=
        h.owed1 + (Number(BigInt.asUintN(256, inside.feeGrowthInside1X128 - h.last1)) / Q128) * h.liquidity;
    };
    add(held.base);
    add(held.limit);
    const [uncollected0, uncollected1] = [owed0 * keep, owed1 * keep];
    const sigma = volatility.volatility() ?? options.initialVolatility ?? null;
    recorder.step({
      timestamp: time,
      sqrtPriceX96: sim.sqrtPriceX96,
      tick: sim.tick,
      base: held.base?.range ?? null,
      limit: held.limit?.range ?? null,
      idle0,
      idle1,
      uncollected0,
      uncollected1,
      feesEarned0: collected0 + uncollected0,
      feesEarned1: collected1 + uncollected1,
      volatility: sigma,
    });

    const snapshot: StrategySnapshot = {
      timestamp: time,
      pool: {
        tick: sim.tick,
        sqrtPriceX96: sim.sqrtPriceX96,
        twapTick: twapOrSpot(model),
        tickSpacing: sim.tickSpacing,
        fee: sim.fee,
        liquidity: sim.liquidity,
      },
      vault: {
        total0: BigInt(Math.floor(total0 + uncollected0)),
        total1: BigInt(Math.floor(total1 + uncollected1)),
        base: held.base?.range ?? null,
        limit: held.limit?.range ?? null,
        targetShare1,
        lastRebalance: model.lastRebalance === 0 ? null : model.lastRebalance,
        bounds,
      },
      market: { volatility: sigma ?? 0, feeRatePerLiquidity: feeRate ?? 0, gasCostPerUnit: costPerGas },
    };
    const decision = strategy.decide(snapshot, params, memory);
    if (decision.plan === null) {
      memory = decision.memory;
      continue;
    }
    const { plan } = decision;
    const first = model.baseLower === model.baseUpper;
    const gasUsed =
      (first ? options.gas.firstRebalanceGas : options.gas.rebalanceGas) +
      (plan.swap === null ? 0 : options.gas.swapGas);
    const sqrtBefore = sim.sqrtPriceX96;
    const executedAt = time + (options.executionDelaySeconds ?? 0);
    if (executedAt > time) sim.setTime(executedAt);
    const common = {
      timestamp: executedAt,
      trigger: decision.trigger,
      reasons: decision.reasons,
      economics: decision.economics,
      sqrtPriceX96Before: sqrtBefore,
    };
    try {
      const outcome = rebalanceVault(model, {
        baseLower: plan.baseLower,
        baseUpper: plan.baseUpper,
        limitWidth: plan.limitWidth,
        expectedTick: snapshot.pool.tick,
        tickTolerance: 0,
        swapZeroForOne: plan.swap?.zeroForOne ?? false,
        swapAmountIn: plan.swap?.amountIn ?? 0n,
        swapSqrtPriceLimitX96: plan.swap?.sqrtPriceLimitX96 ?? 0n,
        deadline: BigInt(executedAt),
      });
      if (outcome.collected !== null) {
        collected0 += Number(outcome.collected.fees0 - outcome.collected.protocolFees0);
        collected1 += Number(outcome.collected.fees1 - outcome.collected.protocolFees1);
      }
      memory = decision.memory;
      // A delayed rebalance has a block of its own, which the keeper reads like any other.
      if (executedAt > time) observe(executedAt);
      readHoldings();
      recorder.rebalance({
        ...common,
        swapAmount0: outcome.swapAmount0,
        swapAmount1: outcome.swapAmount1,
        gasUsed,
        gasCostToken1: gasUsed * costPerGas,
        base: held.base?.range ?? null,
        limit: held.limit?.range ?? null,
        reverted: null,
      });
    } catch (error) {
      if (!(error instanceof VaultRevertError || error instanceof PoolRevertError)) throw error;
      recorder.rebalance({
        ...common,
        swapAmount0: 0n,
        swapAmount1: 0n,
        gasUsed: 0,
        gasCostToken1: 0,
        base: null,
        limit: null,
        reverted: error instanceof VaultRevertError ? error.error : `pool: ${error.reason}`,
      });
    }
  }
  if (recorder === null)
    throw new BacktestInputError(
      "window",
      `the data ends before the warm-up of ${options.warmupSeconds} s is over: expected a longer window`,
    );
  return recorder.finish();
}

function heldRange(model: VaultModel, lower: number, upper: number): HeldRange | null {
  if (lower === upper) return null;
  const position = model.pool.position(model.address, lower, upper);
  if (position.liquidity === 0n) return null;
  return {
    range: { tickLower: lower, tickUpper: upper, liquidity: position.liquidity },
    liquidity: Number(position.liquidity),
    sqrtLower: Math.sqrt(priceFromTick(lower)),
    sqrtUpper: Math.sqrt(priceFromTick(upper)),
    last0: position.feeGrowthInside0LastX128,
    last1: position.feeGrowthInside1LastX128,
    owed0: Number(position.tokensOwed0),
    owed1: Number(position.tokensOwed1),
  };
}

/** The vault's TWAP tick, or the spot tick while the pool's oracle is younger than the window (the vault's `OLD`). */
function twapOrSpot(model: VaultModel): number {
  try {
    return twapTick(model);
  } catch (error) {
    if (error instanceof PoolRevertError) return model.pool.tick;
    throw error;
  }
}
