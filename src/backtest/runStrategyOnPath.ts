import { EwmaVolatility } from "../analytics/ewmaVolatility.js";
import { priceFromSqrtPriceX96 } from "../analytics/price.js";
import type { VaultParams } from "../chain/vault/params.js";
import type { PureStrategy, StrategySnapshot } from "../strategies/types.js";
import { PoolRevertError } from "../uniswap/errors.js";
import type { BacktestMeta, RunResult, TokenInfo } from "./backtestResult.js";
import { createBacktestRecorder, type RecordedRange } from "./createBacktestRecorder.js";
import { BacktestInputError } from "./errors.js";
import { gasCostPerUnit } from "./gasModel.js";
import type { MarketPath } from "./marketPath.js";
import { depositIntoVault } from "./vault/depositIntoVault.js";
import { VaultRevertError } from "./vault/errors.js";
import { twapTick } from "./vault/vaultInternals.js";
import { rebalanceVault } from "./vault/rebalanceVault.js";
import { createVaultModel, type VaultModel } from "./vault/vaultModel.js";
import { vaultTotalAmounts } from "./vault/vaultTotalAmounts.js";

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
  feeRateHalfLifeSeconds: number;
  riskHorizonSeconds: number;
}

/**
 * Runs one strategy over a path, as the keeper would run it over the chain: at every step the path moves the
 * pool, the vault's state is read into the StrategySnapshot the keeper builds (volatility and fee rate from
 * time-decayed estimators), the strategy decides, and a plan goes through the vault model exactly as the
 * contract executes it (a revert is recorded, no gas counted: the keeper simulates first). The recorder turns
 * the steps into the run's figures.
 */
export function runStrategyOnPath(options: RunStrategyOnPathOptions): RunResult {
  const { path, strategy, params } = options;
  const pool = path.createPool();
  const model: VaultModel = createVaultModel({
    pool,
    address: VAULT_OWNER,
    params: options.vaultParams,
    protocolFeeBps: options.protocolFeeBps,
  });
  const volatility = new EwmaVolatility({ halfLifeSeconds: options.volatilityHalfLifeSeconds });
  const feeDecay = options.feeRateHalfLifeSeconds;
  let feeRate: number | null = null;
  let lastFeeGrowth: { time: number; g0: bigint; g1: bigint } | null = null;
  const costPerGas = gasCostPerUnit(options.gas);
  const keep = 1 - options.protocolFeeBps / 10_000;
  const start = path.timestamps[0]! + options.warmupSeconds;

  let recorder: ReturnType<typeof createBacktestRecorder> | null = null;
  let memory = strategy.initialMemory();
  let collected0 = 0n;
  let collected1 = 0n;

  for (let i = 0; i < path.timestamps.length; i++) {
    path.applyStep(model.pool, i);
    const time = path.timestamps[i]!;
    const sim = model.pool;
    const price = priceFromSqrtPriceX96(sim.sqrtPriceX96);
    volatility.update(time, price);
    const [g0, g1] = [sim.feeGrowthGlobal0X128, sim.feeGrowthGlobal1X128];
    if (lastFeeGrowth !== null && time > lastFeeGrowth.time) {
      const dt = time - lastFeeGrowth.time;
      const earned = (Number(g0 - lastFeeGrowth.g0) / Q128) * price + Number(g1 - lastFeeGrowth.g1) / Q128;
      const weight = Math.pow(2, -dt / feeDecay);
      feeRate = feeRate === null ? earned / dt : weight * feeRate + (1 - weight) * (earned / dt);
    }
    if (lastFeeGrowth === null || time > lastFeeGrowth.time) lastFeeGrowth = { time, g0, g1 };
    if (time < start) continue;

    if (recorder === null) {
      const share1 = options.vaultParams.targetToken1Bps / 10_000;
      const capital =
        options.numeraire === 1
          ? options.capital * 10 ** options.token1.decimals
          : options.capital * 10 ** options.token0.decimals * price;
      const amount0 = BigInt(Math.floor((capital * (1 - share1)) / price));
      const amount1 = BigInt(Math.floor(capital * share1));
      const deposit = depositIntoVault(model, {
        to: DEPOSITOR,
        amount0Desired: amount0,
        amount1Desired: amount1,
      });
      recorder = createBacktestRecorder({
        name: options.name,
        role: options.role,
        params,
        token0: options.token0,
        token1: options.token1,
        numeraire: options.numeraire,
        deposit: { amount0: deposit.amount0, amount1: deposit.amount1 },
        targetShare1: share1,
        riskHorizonSeconds: options.riskHorizonSeconds,
      });
    }

    const base = rangeOf(model, model.baseLower, model.baseUpper);
    const limit = rangeOf(model, model.limitLower, model.limitUpper);
    let [owed0, owed1] = [0n, 0n];
    for (const range of [base, limit]) {
      if (range === null) continue;
      const fees = model.pool.positionFees(VAULT_OWNER, range.tickLower, range.tickUpper);
      owed0 += fees.amount0;
      owed1 += fees.amount1;
    }
    const uncollected0 = BigInt(Math.floor(Number(owed0) * keep));
    const uncollected1 = BigInt(Math.floor(Number(owed1) * keep));
    const totals = vaultTotalAmounts(model);
    const sigma = volatility.volatility();
    recorder.step({
      timestamp: time,
      sqrtPriceX96: sim.sqrtPriceX96,
      tick: sim.tick,
      base,
      limit,
      idle0: model.balance0 - model.protocolFees0,
      idle1: model.balance1 - model.protocolFees1,
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
        total0: totals.total0 + uncollected0,
        total1: totals.total1 + uncollected1,
        base,
        limit,
        targetShare1: options.vaultParams.targetToken1Bps / 10_000,
        lastRebalance: model.lastRebalance === 0 ? null : model.lastRebalance,
        bounds: {
          minBaseWidth: model.params.minBaseWidth,
          maxBaseWidth: model.params.maxBaseWidth,
          minLimitWidth: model.params.minLimitWidth,
          maxLimitWidth: model.params.maxLimitWidth,
          maxTwapDeviation: model.params.maxTwapDeviation,
          minRebalanceInterval: model.params.minRebalanceInterval,
        },
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
    const sqrtBefore = model.pool.sqrtPriceX96;
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
        deadline: BigInt(time),
      });
      if (outcome.collected !== null) {
        collected0 += outcome.collected.fees0 - outcome.collected.protocolFees0;
        collected1 += outcome.collected.fees1 - outcome.collected.protocolFees1;
      }
      memory = decision.memory;
      recorder.rebalance({
        timestamp: time,
        trigger: decision.trigger,
        reasons: decision.reasons,
        economics: decision.economics,
        sqrtPriceX96Before: sqrtBefore,
        swapAmount0: outcome.swapAmount0,
        swapAmount1: outcome.swapAmount1,
        gasUsed,
        gasCostToken1: gasUsed * costPerGas,
        base: {
          tickLower: outcome.baseLower,
          tickUpper: outcome.baseUpper,
          liquidity: outcome.baseLiquidity,
        },
        limit: {
          tickLower: outcome.limitLower,
          tickUpper: outcome.limitUpper,
          liquidity: outcome.limitLiquidity,
        },
        reverted: null,
      });
    } catch (error) {
      if (!(error instanceof VaultRevertError || error instanceof PoolRevertError)) throw error;
      recorder.rebalance({
        timestamp: time,
        trigger: decision.trigger,
        reasons: decision.reasons,
        economics: decision.economics,
        sqrtPriceX96Before: sqrtBefore,
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

function rangeOf(model: VaultModel, lower: number, upper: number): RecordedRange | null {
  if (lower === upper) return null;
  return {
    tickLower: lower,
    tickUpper: upper,
    liquidity: model.pool.position(model.address, lower, upper).liquidity,
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
