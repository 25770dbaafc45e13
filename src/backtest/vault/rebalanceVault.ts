import type { RebalanceParams } from "../../chain/vault/rebalanceParams.js";
import { mulDivRoundingUp } from "../../uniswap/fullMath.js";
import {
  getLiquidityForAmount0,
  getLiquidityForAmount1,
  getLiquidityForAmounts,
} from "../../uniswap/liquidityAmounts.js";
import { getSqrtRatioAtTick } from "../../uniswap/tickMath.js";
import { VaultRevertError } from "./errors.js";
import { quote0In1 } from "./priceMath.js";
import {
  accrueProtocolFees,
  burnAndCollect,
  checkDeviation,
  checkRange,
  idle,
  liquidityOf,
  rangeAmounts,
  twapTick,
  type CollectedFees,
} from "./vaultInternals.js";
import { cloneVaultModel, type VaultModel } from "./vaultModel.js";

const PPM = 1_000_000n;

/** The Rebalance event's fields, and the fees the exit collected (FeesCollected). */
export interface RebalanceOutcome {
  /** Spot tick after the optional swap, and the TWAP tick the call was checked and valued against. */
  tick: number;
  twapTick: number;
  baseLower: number;
  baseUpper: number;
  baseLiquidity: bigint;
  limitLower: number;
  limitUpper: number;
  limitLiquidity: bigint;
  /** The swap's pool deltas (positive: paid by the vault). */
  swapAmount0: bigint;
  swapAmount1: bigint;
  /** The vault's value in token1 at the TWAP price before and after. */
  valueBefore: bigint;
  valueAfter: bigint;
  collected: CollectedFees | null;
}

/**
 * RangeVault.rebalance at the pool's current time: every check of the request, then burn and collect both
 * ranges (fees to the holders minus the protocol's share), the optional exact-input swap through the pool, the
 * base minted with the most liquidity the balances allow, the limit range on the side of the token left over,
 * and the loss budget charged. Throws VaultRevertError (or the pool's PoolRevertError) as the contract reverts,
 * leaving the model as it was.
 */
export function rebalanceVault(model: VaultModel, request: RebalanceParams): RebalanceOutcome {
  const now = model.pool.time;
  const p = model.params;
  if (BigInt(now) > request.deadline)
    throw new VaultRevertError("Expired", [request.deadline, now], "the deadline has passed");
  if (model.paused) throw new VaultRevertError("DepositsAndRebalancesPaused", [], "the vault is paused");
  const earliest = model.lastRebalance + p.minRebalanceInterval;
  if (now < earliest)
    throw new VaultRevertError(
      "RebalanceTooSoon",
      [earliest, now],
      `the next rebalance may come at ${earliest}`,
    );
  checkRange(model, request.baseLower, request.baseUpper);
  checkWidth(
    model,
    request.baseUpper - request.baseLower,
    p.minBaseWidth,
    p.maxBaseWidth,
    "BaseWidthOutOfBounds",
  );
  checkWidth(model, request.limitWidth, p.minLimitWidth, p.maxLimitWidth, "LimitWidthOutOfBounds");
  if (request.tickTolerance > p.maxTwapDeviation)
    throw new VaultRevertError(
      "ToleranceAboveMaxDeviation",
      [request.tickTolerance, p.maxTwapDeviation],
      "the tick tolerance exceeds maxTwapDeviation",
    );
  let { sqrtPriceX96, tick } = model.pool;
  if (Math.abs(tick - request.expectedTick) > request.tickTolerance)
    throw new VaultRevertError(
      "UnexpectedTick",
      [tick, request.expectedTick, request.tickTolerance],
      `spot tick ${tick} is not within ${request.tickTolerance} of the expected ${request.expectedTick}`,
    );
  const twap = twapTick(model);
  checkDeviation(model, tick, twap);
  const twapSqrt = getSqrtRatioAtTick(twap);

  const work = cloneVaultModel(model);
  // 1. Exit both ranges; the old ranges count at the TWAP price, not at the principal they paid out.
  let [fees0, fees1, burnt0, burnt1, value0, value1] = [0n, 0n, 0n, 0n, 0n, 0n];
  for (const [lower, upper] of [
    [work.baseLower, work.baseUpper],
    [work.limitLower, work.limitUpper],
  ] as const) {
    const liquidity = liquidityOf(work, lower, upper);
    if (liquidity === 0n) continue;
    const out = burnAndCollect(work, lower, upper, liquidity);
    fees0 += out.fees0;
    fees1 += out.fees1;
    burnt0 += out.burnt0;
    burnt1 += out.burnt1;
    const atTwap = rangeAmounts(twapSqrt, lower, upper, liquidity);
    value0 += atTwap.amount0;
    value1 += atTwap.amount1;
  }
  const { collected } = accrueProtocolFees(work, fees0, fees1);
  let { idle0: balance0, idle1: balance1 } = idle(work);
  const valueBefore = quote0In1(balance0 - burnt0 + value0, twapSqrt) + balance1 - burnt1 + value1;

  // 2. The optional swap; the price the mints use is checked after it.
  let [swapAmount0, swapAmount1] = [0n, 0n];
  if (request.swapAmountIn !== 0n) {
    const swap = work.pool.swap({
      zeroForOne: request.swapZeroForOne,
      amountSpecified: request.swapAmountIn,
      sqrtPriceLimitX96: request.swapSqrtPriceLimitX96,
    });
    [swapAmount0, swapAmount1] = [swap.amount0, swap.amount1];
    work.balance0 -= swapAmount0;
    work.balance1 -= swapAmount1;
    balance0 -= swapAmount0;
    balance1 -= swapAmount1;
    if (balance0 < 0n || balance1 < 0n)
      throw new VaultRevertError(
        "SafeCastOverflowedIntToUint",
        [balance0 < 0n ? balance0 : balance1],
        "the swap spends more than the vault holds",
      );
    ({ sqrtPriceX96, tick } = work.pool);
    checkDeviation(work, tick, twap);
  }
  if (tick < request.baseLower || tick >= request.baseUpper)
    throw new VaultRevertError(
      "BaseExcludesPrice",
      [request.baseLower, request.baseUpper, tick],
      `the base [${request.baseLower}, ${request.baseUpper}) must contain the tick ${tick}`,
    );

  // 3. Mint the base with the most liquidity the balances allow, then the limit with what is left.
  [value0, value1] = [0n, 0n];
  const enter = (lower: number, upper: number, liquidity: bigint): bigint => {
    if (liquidity === 0n) return 0n;
    const paid = work.pool.mint({
      owner: work.address,
      tickLower: lower,
      tickUpper: upper,
      amount: liquidity,
    });
    work.balance0 -= paid.amount0;
    work.balance1 -= paid.amount1;
    balance0 -= paid.amount0;
    balance1 -= paid.amount1;
    const atTwap = rangeAmounts(twapSqrt, lower, upper, liquidity);
    value0 += atTwap.amount0;
    value1 += atTwap.amount1;
    return liquidity;
  };
  const baseLiquidity = enter(
    request.baseLower,
    request.baseUpper,
    getLiquidityForAmounts(
      sqrtPriceX96,
      getSqrtRatioAtTick(request.baseLower),
      getSqrtRatioAtTick(request.baseUpper),
      balance0,
      balance1,
    ),
  );
  const spacing = work.tickSpacing;
  const floor = Math.floor(tick / spacing) * spacing;
  const token0Only = quote0In1(balance0, sqrtPriceX96) > balance1;
  const [limitLower, limitUpper] = token0Only
    ? [floor + spacing, floor + spacing + request.limitWidth]
    : [floor - request.limitWidth, floor];
  checkRange(work, limitLower, limitUpper);
  const [sqrtLower, sqrtUpper] = [getSqrtRatioAtTick(limitLower), getSqrtRatioAtTick(limitUpper)];
  const limitLiquidity = enter(
    limitLower,
    limitUpper,
    token0Only
      ? getLiquidityForAmount0(sqrtLower, sqrtUpper, balance0)
      : getLiquidityForAmount1(sqrtLower, sqrtUpper, balance1),
  );
  const valueAfter = quote0In1(balance0 + value0, twapSqrt) + balance1 + value1;

  // 4. The loss budget, then the new state.
  work.lossUsedPpm = chargeLoss(work, now, valueBefore, valueAfter);
  work.lastRebalance = now;
  [work.baseLower, work.baseUpper] = [request.baseLower, request.baseUpper];
  [work.limitLower, work.limitUpper] = [limitLower, limitUpper];
  Object.assign(model, work);
  return {
    tick,
    twapTick: twap,
    baseLower: request.baseLower,
    baseUpper: request.baseUpper,
    baseLiquidity,
    limitLower,
    limitUpper,
    limitLiquidity,
    swapAmount0,
    swapAmount1,
    valueBefore,
    valueAfter,
    collected,
  };
}

function checkWidth(model: VaultModel, width: number, min: number, max: number, error: string): void {
  if (width < min || width > max || width % model.tickSpacing !== 0)
    throw new VaultRevertError(
      error,
      [width, min, max],
      `width ${width} must be a multiple of ${model.tickSpacing} in [${min}, ${max}]`,
    );
}

/** _chargeLoss with LossBudget.drained: what is left of the budget after draining, plus this call's loss. */
function chargeLoss(model: VaultModel, now: number, valueBefore: bigint, valueAfter: bigint): number {
  const p = model.params;
  const capacity = BigInt(p.maxLossPerWindowBps) * 100n;
  const drain = (BigInt(now - model.lastRebalance) * capacity) / BigInt(p.lossWindow);
  const used = drain >= BigInt(model.lossUsedPpm) ? 0n : BigInt(model.lossUsedPpm) - drain;
  if (valueAfter >= valueBefore || valueBefore === 0n) return Number(used);
  const lossPpm = mulDivRoundingUp(valueBefore - valueAfter, PPM, valueBefore);
  const maxPerCall = BigInt(p.maxLossPerRebalanceBps) * 100n;
  if (lossPpm > maxPerCall)
    throw new VaultRevertError(
      "RebalanceLossTooHigh",
      [lossPpm, maxPerCall],
      "the rebalance loses more than one call may",
    );
  if (used + lossPpm > capacity)
    throw new VaultRevertError(
      "LossBudgetExhausted",
      [used, lossPpm, capacity],
      "the loss budget is used up",
    );
  return Number(used + lossPpm);
}
