import type { ContractFunctionReturnType } from "viem";

import type { rangeVaultLensAbi } from "../../chain/vault/abi.js";
import type { VaultParams } from "../../chain/vault/params.js";
import { mulDiv } from "../../uniswap/fullMath.js";
import { getAmountsForLiquidity } from "../../uniswap/liquidityAmounts.js";
import { getSqrtRatioAtTick } from "../../uniswap/tickMath.js";

/** RangeVaultLens.getState as viem decodes it. */
export type LensVaultState = ContractFunctionReturnType<typeof rangeVaultLensAbi, "view", "getState">;

/** One of the vault's ranges, with the fees the pool owes it (before the protocol's share). */
export interface VaultRange {
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  /** Principal at the spot price. */
  amount0: bigint;
  amount1: bigint;
  /** What `collect` would pay after a poke, from the pool's fee growth; null when not read this block. */
  feesOwed0: bigint | null;
  feesOwed1: bigint | null;
}

/**
 * A RangeVault at one block: the lens's `getState` (spot and TWAP as the vault checks them, holdings, ranges,
 * guards' state, parameters) plus the fees its ranges have earned and the pool has not yet paid, all read in
 * the block's one batched request. Token amounts are raw units.
 */
export interface VaultState {
  sqrtPriceX96: bigint;
  tick: number;
  /** Mean tick over the vault's TWAP window, computed by the lens exactly as the vault's own check does. */
  twapTick: number;
  totalSupply: bigint;
  /** The holders' idle tokens plus both ranges at the spot price; protocol fees and uncollected fees excluded. */
  total0: bigint;
  total1: bigint;
  idle0: bigint;
  idle1: bigint;
  /** null when the range holds no liquidity (before the first rebalance, after an emergency exit). */
  base: VaultRange | null;
  limit: VaultRange | null;
  /**
   * Uncollected fees of both ranges net of the protocol's share, rounded as the vault will take it at its
   * next collection: the holders' part. null when the fee reads were of ranges the vault no longer holds.
   */
  holderFeesOwed0: bigint | null;
  holderFeesOwed1: bigint | null;
  protocolFees0: bigint;
  protocolFees1: bigint;
  /** total0 at spot plus total1, in token1. */
  valueInToken1: bigint;
  token1ShareWad: bigint;
  inventoryDriftWad: bigint;
  /** Block time of the last rebalance; null before the first. */
  lastRebalance: number | null;
  lossBudgetUsedPpm: bigint;
  protocolFeeBps: number;
  paused: boolean;
  params: VaultParams;
}

const BPS = 10_000n;

/** Turns the lens's struct and the fee figures into a VaultState (fees null when they were not read). */
export function toVaultState(
  lens: LensVaultState,
  fees: {
    base: { amount0: bigint; amount1: bigint } | null;
    limit: { amount0: bigint; amount1: bigint } | null;
  },
): VaultState {
  const range = (r: LensVaultState["base"], owed: { amount0: bigint; amount1: bigint } | null) =>
    r.liquidity === 0n
      ? null
      : {
          tickLower: r.lower,
          tickUpper: r.upper,
          liquidity: r.liquidity,
          amount0: r.amount0,
          amount1: r.amount1,
          feesOwed0: owed?.amount0 ?? null,
          feesOwed1: owed?.amount1 ?? null,
        };
  const base = range(lens.base, fees.base);
  const limit = range(lens.limit, fees.limit);
  const known = [base, limit].every((r) => r === null || r.feesOwed0 !== null);
  const owed = (pick: (r: VaultRange) => bigint | null) =>
    [base, limit].reduce((sum, r) => sum + (r === null ? 0n : pick(r)!), 0n);
  const bps = BigInt(lens.status.protocolFeeBps);
  // RangeVault._accrueProtocolFees: the protocol's cut of each token is rounded down, the holders keep the rest.
  const holders = (fees: bigint) => fees - (fees * bps) / BPS;
  const p = lens.params;
  return {
    sqrtPriceX96: lens.sqrtPriceX96,
    tick: lens.tick,
    twapTick: lens.twapTick,
    totalSupply: lens.totalSupply,
    total0: lens.total0,
    total1: lens.total1,
    idle0: lens.idle0,
    idle1: lens.idle1,
    base,
    limit,
    holderFeesOwed0: known ? holders(owed((r) => r.feesOwed0)) : null,
    holderFeesOwed1: known ? holders(owed((r) => r.feesOwed1)) : null,
    protocolFees0: lens.protocolFees0,
    protocolFees1: lens.protocolFees1,
    valueInToken1: lens.valueInToken1,
    token1ShareWad: lens.token1ShareWad,
    inventoryDriftWad: lens.inventoryDriftWad,
    lastRebalance: lens.status.lastRebalance === 0 ? null : lens.status.lastRebalance,
    lossBudgetUsedPpm: lens.lossBudgetUsedPpm,
    protocolFeeBps: lens.status.protocolFeeBps,
    paused: lens.status.paused,
    params: {
      twapWindow: p.twapWindow,
      maxTwapDeviation: p.maxTwapDeviation,
      minRebalanceInterval: p.minRebalanceInterval,
      minBaseWidth: p.minBaseWidth,
      maxBaseWidth: p.maxBaseWidth,
      minLimitWidth: p.minLimitWidth,
      maxLimitWidth: p.maxLimitWidth,
      maxLossPerRebalanceBps: p.maxLossPerRebalanceBps,
      maxLossPerWindowBps: p.maxLossPerWindowBps,
      lossWindow: p.lossWindow,
      targetToken1Bps: p.targetToken1Bps,
    },
  };
}

const WAD = 10n ** 18n;
const Q192 = 1n << 192n;
/** LossBudget.PPM_PER_BPS. */
const PPM_PER_BPS = 100n;

export interface LensInputs {
  sqrtPriceX96: bigint;
  tick: number;
  twapTick: number;
  /** The vault's token balances (ERC-20 balanceOf) at this block. */
  balance0: bigint;
  balance1: bigint;
  /** Block time, seconds. */
  timestamp: bigint;
}

/**
 * What RangeVaultLens.getState would return at a block, from a state it returned earlier and this block's
 * price, TWAP and token balances: exact when nothing but the pool's price and the vault's balances moved in
 * between (no vault call: no event), since then ranges, liquidity, supply, protocol fees, status and
 * params are as they were. The same integer math as the contracts (LiquidityAmounts, PriceMath.quote0In1,
 * LossBudget.drained), so the result equals the lens's to the wei.
 */
export function predictLensState(previous: LensVaultState, now: LensInputs): LensVaultState {
  const range = (r: LensVaultState["base"]) => {
    if (r.liquidity === 0n) return { ...r, amount0: 0n, amount1: 0n };
    const { amount0, amount1 } = getAmountsForLiquidity(
      now.sqrtPriceX96,
      getSqrtRatioAtTick(r.lower),
      getSqrtRatioAtTick(r.upper),
      r.liquidity,
    );
    return { ...r, amount0, amount1 };
  };
  const base = range(previous.base);
  const limit = range(previous.limit);
  const idle0 = now.balance0 - previous.protocolFees0;
  const idle1 = now.balance1 - previous.protocolFees1;
  const total0 = base.amount0 + limit.amount0 + idle0;
  const total1 = base.amount1 + limit.amount1 + idle1;
  const sqrt = now.sqrtPriceX96;
  const quoted =
    sqrt <= (1n << 128n) - 1n
      ? mulDiv(total0, sqrt * sqrt, Q192)
      : mulDiv(total0, mulDiv(sqrt, sqrt, 1n << 64n), 1n << 128n);
  const value = quoted + total1;
  const share = value === 0n ? 0n : mulDiv(total1, WAD, value);
  const drift = value === 0n ? 0n : share - (BigInt(previous.params.targetToken1Bps) * WAD) / 10_000n;
  const supply = previous.totalSupply;
  const { status, params } = previous;
  const drain = mulDiv(
    now.timestamp - BigInt(status.lastRebalance),
    BigInt(params.maxLossPerWindowBps) * PPM_PER_BPS,
    BigInt(params.lossWindow),
  );
  return {
    ...previous,
    sqrtPriceX96: now.sqrtPriceX96,
    tick: now.tick,
    twapTick: now.twapTick,
    total0,
    total1,
    idle0,
    idle1,
    base,
    limit,
    valueInToken1: value,
    amount0PerShare: supply === 0n ? 0n : mulDiv(total0, WAD, supply),
    amount1PerShare: supply === 0n ? 0n : mulDiv(total1, WAD, supply),
    token1ShareWad: share,
    inventoryDriftWad: drift,
    lossBudgetUsedPpm: drain >= BigInt(status.lossUsedPpm) ? 0n : BigInt(status.lossUsedPpm) - drain,
  };
}

/** PriceMath.meanTick: the arithmetic mean tick over `window` seconds, rounded towards negative infinity. */
export function meanTick(cumulativeStart: bigint, cumulativeEnd: bigint, window: number): number {
  const delta = cumulativeEnd - cumulativeStart;
  const span = BigInt(window);
  return Number(delta / span) - (delta < 0n && delta % span !== 0n ? 1 : 0);
}
