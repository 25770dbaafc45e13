import { MAX_UINT128 } from "../../uniswap/constants.js";
import { mulDiv } from "../../uniswap/fullMath.js";
import { getAmountsForLiquidity } from "../../uniswap/liquidityAmounts.js";
import { getSqrtRatioAtTick } from "../../uniswap/tickMath.js";
import { VaultRevertError } from "./errors.js";
import { meanTick } from "./priceMath.js";
import type { VaultModel } from "./vaultModel.js";

/**
 * The private functions of RangeVault that several calls share, in the contract's order of pool calls, on a
 * working copy of the model (cloneVaultModel): a call that throws leaves the original untouched.
 */

/** Fees a call collected from the pool (all of them) and the protocol's cut (FeesCollected). */
export interface CollectedFees {
  fees0: bigint;
  fees1: bigint;
  protocolFees0: bigint;
  protocolFees1: bigint;
}

export function liquidityOf(model: VaultModel, lower: number, upper: number): bigint {
  if (lower === upper) return 0n;
  return model.pool.position(model.address, lower, upper).liquidity;
}

/** LiquidityAmounts.getAmountsForLiquidity of a range at `sqrtPriceX96` (rounded down). */
export function rangeAmounts(sqrtPriceX96: bigint, lower: number, upper: number, liquidity: bigint) {
  return getAmountsForLiquidity(
    sqrtPriceX96,
    getSqrtRatioAtTick(lower),
    getSqrtRatioAtTick(upper),
    liquidity,
  );
}

/** pool.collect of everything a range is owed, into the vault's balances. */
function collectAll(model: VaultModel, lower: number, upper: number) {
  const collected = model.pool.collect({
    owner: model.address,
    tickLower: lower,
    tickUpper: upper,
    amount0Requested: MAX_UINT128,
    amount1Requested: MAX_UINT128,
  });
  model.balance0 += collected.amount0;
  model.balance1 += collected.amount1;
  return collected;
}

/** _burnAndCollect: burns `liquidity` (0: a poke) and collects everything owed; principal and fees apart. */
export function burnAndCollect(model: VaultModel, lower: number, upper: number, liquidity: bigint) {
  const burnt = model.pool.burn({
    owner: model.address,
    tickLower: lower,
    tickUpper: upper,
    amount: liquidity,
  });
  const collected = collectAll(model, lower, upper);
  return {
    burnt0: burnt.amount0,
    burnt1: burnt.amount1,
    fees0: collected.amount0 - burnt.amount0,
    fees1: collected.amount1 - burnt.amount1,
  };
}

/**
 * _pokeRange: makes the pool credit a range's fees, collects them into sums[2..3], and adds its holdings at
 * `sqrtPriceX96` plus one wei of each token it holds (deposits are priced at the upper end) to sums[0..1].
 */
export function pokeRange(
  model: VaultModel,
  sums: [bigint, bigint, bigint, bigint],
  lower: number,
  upper: number,
  sqrtPriceX96: bigint,
): void {
  const liquidity = liquidityOf(model, lower, upper);
  if (liquidity === 0n) return;
  model.pool.burn({ owner: model.address, tickLower: lower, tickUpper: upper, amount: 0n });
  const { tokensOwed0, tokensOwed1 } = model.pool.position(model.address, lower, upper);
  if (tokensOwed0 !== 0n || tokensOwed1 !== 0n) {
    const fees = collectAll(model, lower, upper);
    sums[2] += fees.amount0;
    sums[3] += fees.amount1;
  }
  const { amount0, amount1 } = rangeAmounts(sqrtPriceX96, lower, upper, liquidity);
  sums[0] += amount0 === 0n ? 0n : amount0 + 1n;
  sums[1] += amount1 === 0n ? 0n : amount1 + 1n;
}

/** _accrueProtocolFees: the protocol's share of newly collected fees, rounded down; returns the holders' part. */
export function accrueProtocolFees(
  model: VaultModel,
  fees0: bigint,
  fees1: bigint,
): { net0: bigint; net1: bigint; collected: CollectedFees | null } {
  if (fees0 === 0n && fees1 === 0n) return { net0: 0n, net1: 0n, collected: null };
  const bps = BigInt(model.protocolFeeBps);
  const cut0 = mulDiv(fees0, bps, 10_000n);
  const cut1 = mulDiv(fees1, bps, 10_000n);
  if (model.protocolFees0 + cut0 > MAX_UINT128 || model.protocolFees1 + cut1 > MAX_UINT128)
    throw new VaultRevertError("SafeCastOverflowedUintDowncast", [128], "protocol fees exceed uint128");
  model.protocolFees0 += cut0;
  model.protocolFees1 += cut1;
  return {
    net0: fees0 - cut0,
    net1: fees1 - cut1,
    collected: { fees0, fees1, protocolFees0: cut0, protocolFees1: cut1 },
  };
}

/** _idle: balances minus what is owed to the treasury. */
export function idle(model: VaultModel): { idle0: bigint; idle1: bigint } {
  return { idle0: model.balance0 - model.protocolFees0, idle1: model.balance1 - model.protocolFees1 };
}

/** _twapTick over the vault's window (the pool's `OLD` revert when its oracle is too young propagates). */
export function twapTick(model: VaultModel): number {
  const window = model.params.twapWindow;
  const [start, end] = model.pool.observe([window, 0]);
  return meanTick(start!.tickCumulative, end!.tickCumulative, window);
}

/** _checkDeviation: |tick − TWAP| within maxTwapDeviation. */
export function checkDeviation(model: VaultModel, tick: number, twap: number): void {
  const max = model.params.maxTwapDeviation;
  if (Math.abs(tick - twap) > max)
    throw new VaultRevertError(
      "PriceDeviatesFromTwap",
      [tick, twap, max],
      `spot tick ${tick} is more than ${max} ticks from the TWAP tick ${twap}`,
    );
}

/** _checkRange: both ends aligned to the spacing, ordered, inside the usable ticks. */
export function checkRange(model: VaultModel, lower: number, upper: number): void {
  const spacing = model.tickSpacing;
  if (lower % spacing !== 0)
    throw new VaultRevertError(
      "TickNotAligned",
      [lower, spacing],
      `tick ${lower} is not a multiple of ${spacing}`,
    );
  if (upper % spacing !== 0)
    throw new VaultRevertError(
      "TickNotAligned",
      [upper, spacing],
      `tick ${upper} is not a multiple of ${spacing}`,
    );
  if (lower >= upper || lower < model.minUsableTick || upper > model.maxUsableTick)
    throw new VaultRevertError(
      "RangeOutOfBounds",
      [lower, upper],
      `[${lower}, ${upper}] must be ordered and within [${model.minUsableTick}, ${model.maxUsableTick}]`,
    );
}
