import * as constants from "./constants.js";
import { InvalidPoolInputError, PoolRevertError } from "./errors.js";
import { getFeeGrowthInside, getTokensOwed, type FeeGrowthInside } from "./feeGrowth.js";
import { mulDiv, mulDivRoundingUp } from "./fullMath.js";
import { addDelta } from "./liquidityMath.js";
import { Oracle, type Cumulatives, type OracleState } from "./oracle.js";
import {
  checkInt,
  checkUint,
  tickEntries,
  validatePoolState,
  type PoolState,
  type PositionState,
  type TickState,
} from "./poolState.js";
import { getAmount0DeltaSigned, getAmount1DeltaSigned } from "./sqrtPriceMath.js";
import { swapStep } from "./swapMath.js";
import { TickBitmap } from "./tickBitmap.js";
import { getSqrtRatioAtTick, getTickAtSqrtRatio, tickAtSqrtRatioInRange } from "./tickMath.js";

// Read once: under the TypeScript loaders used here (tsx) an imported binding is a getter, which the hot
// loops would otherwise call on every read.
const {
  FEE_DENOMINATOR,
  MAX_INT256,
  MAX_SQRT_RATIO,
  MAX_TICK,
  MAX_UINT128,
  MAX_UINT256,
  MIN_SQRT_RATIO,
  MIN_TICK,
  Q128,
} = constants;

export interface SwapParameters {
  zeroForOne: boolean;
  /** > 0: exact input of the input token; < 0: exact output of the output token (raw units). */
  amountSpecified: bigint;
  /** The price the swap may not pass; defaults to the pool's extreme (MIN_SQRT_RATIO + 1 or MAX − 1). */
  sqrtPriceLimitX96?: bigint;
}

export interface SwapResult {
  /** Signed pool deltas as in the Swap event: positive = paid into the pool. */
  amount0: bigint;
  amount1: bigint;
  sqrtPriceX96: bigint;
  tick: number;
  liquidity: bigint;
  /** Fee paid in the input token, liquidity providers' and protocol's share together. */
  feeAmount: bigint;
  protocolFee: bigint;
  /** Initialised ticks crossed, and loop iterations (a step ends at a tick, a word edge or the end). */
  ticksCrossed: number;
  steps: number;
}

export interface ModifyPositionParameters {
  /** Position owner: the Mint event's `owner`, the Burn/Collect event's `owner` (an address). */
  owner: string;
  tickLower: number;
  tickUpper: number;
  /** Liquidity to add (mint) or remove (burn; 0 pokes the position to update its fees owed). */
  amount: bigint;
}

export interface CollectParameters {
  owner: string;
  tickLower: number;
  tickUpper: number;
  amount0Requested: bigint;
  amount1Requested: bigint;
}

export interface FlashParameters {
  /** Borrowed amounts (the fee is charged on these). */
  amount0: bigint;
  amount1: bigint;
  /** What came back on top of the borrowed amounts, as in the Flash event's paid0/paid1. */
  paid0: bigint;
  paid1: bigint;
}

export interface TokenAmounts {
  amount0: bigint;
  amount1: bigint;
}

export interface Slot0 {
  sqrtPriceX96: bigint;
  tick: number;
  observationIndex: number;
  observationCardinality: number;
  observationCardinalityNext: number;
  feeProtocol: number;
  unlocked: boolean;
}

export interface CumulativesInside {
  tickCumulativeInside: bigint;
  secondsPerLiquidityInsideX128: bigint;
  secondsInside: number;
}

interface TickInfo {
  liquidityGross: bigint;
  liquidityNet: bigint;
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
  tickCumulativeOutside: bigint;
  secondsPerLiquidityOutsideX128: bigint;
  secondsOutside: number;
}

interface PositionInfo {
  liquidity: bigint;
  feeGrowthInside0LastX128: bigint;
  feeGrowthInside1LastX128: bigint;
  tokensOwed0: bigint;
  tokensOwed1: bigint;
}

interface Crossing {
  tick: number;
  /** The input token's fee growth at the moment of crossing (the other token's does not move in a swap). */
  feeGrowthGlobalX128: bigint;
}

/** A computed swap with what `swap` needs to apply it; kept as the last quote, tagged with what it answered. */
interface SwapOutcome extends SwapResult {
  feeGrowthGlobalX128: bigint;
  /** Initialised ticks crossed, in order (NO_CROSSINGS, shared, when none: most swaps cross none). */
  crossings: Crossing[];
  zeroForOne: boolean;
  amountSpecified: bigint;
  sqrtPriceLimitX96: bigint | undefined;
  /** The pool's `version` when computed. */
  version: number;
}

const NO_CROSSINGS: Crossing[] = [];

const MIN_INT256 = -MAX_INT256 - 1n;
const DEFAULT_LIMIT_DOWN = MIN_SQRT_RATIO + 1n;
const DEFAULT_LIMIT_UP = MAX_SQRT_RATIO - 1n;
const TWO_256 = MAX_UINT256 + 1n;

function positionKey(owner: string, tickLower: number, tickUpper: number): string {
  return `${owner.toLowerCase()}|${tickLower}|${tickUpper}`;
}

function checkInt24(field: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < -(2 ** 23) || value >= 2 ** 23)
    throw new InvalidPoolInputError(field, "an int24 tick", value);
}

/** UniswapV3Pool.checkTicks, after the type checks an ABI decoder would make. */
function checkTicks(tickLower: number, tickUpper: number): void {
  checkInt24("tickLower", tickLower);
  checkInt24("tickUpper", tickUpper);
  if (tickLower >= tickUpper)
    throw new PoolRevertError("TLU", `tickLower ${tickLower} >= tickUpper ${tickUpper}`);
  if (tickLower < MIN_TICK) throw new PoolRevertError("TLM", `tickLower ${tickLower} < ${MIN_TICK}`);
  if (tickUpper > MAX_TICK) throw new PoolRevertError("TUM", `tickUpper ${tickUpper} > ${MAX_TICK}`);
}

/** Tick.tickSpacingToMaxLiquidityPerTick: no tick may carry more gross liquidity than this. */
export function tickSpacingToMaxLiquidityPerTick(tickSpacing: number): bigint {
  const minTick = Math.trunc(MIN_TICK / tickSpacing) * tickSpacing;
  const maxTick = Math.trunc(MAX_TICK / tickSpacing) * tickSpacing;
  const numTicks = BigInt((maxTick - minTick) / tickSpacing + 1);
  return MAX_UINT128 / numTicks;
}

/**
 * A Uniswap v3 pool (v3-core 1.0.1) in memory: swaps, mints, burns and collects give the contract's results
 * to the wei, with its quirks (a swap step ends at each 256-tick bitmap word edge even without an initialised
 * tick there; the tick is recomputed only when a step moved the price; uint256 fee growth wraps), per-tick
 * fee growth outside, positions with fees owed, protocol fees and the TWAP oracle.
 *
 * Token transfers are not modelled: every amount the pool asks for is taken as paid. Every operation
 * happens at the current block time (`setTime`), which drives the oracle. An operation that would revert
 * throws PoolRevertError (with the contract's reason) and leaves the state untouched.
 */
export class PoolSimulator {
  readonly fee: number;
  readonly tickSpacing: number;
  readonly maxLiquidityPerTick: bigint;
  private _sqrtPriceX96: bigint;
  private _tick: number;
  private _liquidity: bigint;
  private _feeGrowthGlobal0X128: bigint;
  private _feeGrowthGlobal1X128: bigint;
  private _feeProtocol: number;
  private readonly feeBig: bigint;
  private feeProtocol0 = 0n;
  private feeProtocol1 = 0n;
  private _protocolFees0: bigint;
  private _protocolFees1: bigint;
  private _time: number;
  private readonly oracle: Oracle;
  private readonly bitmap: TickBitmap;
  private readonly tickInfo = new Map<number, TickInfo>();
  private readonly positionInfo = new Map<string, PositionInfo>();
  /** Bumped by every change that can alter a swap's outcome, so a cached quote is never stale. */
  private version = 0;
  /**
   * The last quote: it answers a `swap` with the same parameters while `version` is unchanged (a replay
   * quotes each candidate reading of an event, then executes the one that matched).
   */
  private lastQuote: SwapOutcome | null = null;

  constructor(state: PoolState) {
    validatePoolState(state);
    this.fee = state.fee;
    this.tickSpacing = state.tickSpacing;
    this.maxLiquidityPerTick = tickSpacingToMaxLiquidityPerTick(state.tickSpacing);
    this._sqrtPriceX96 = state.sqrtPriceX96;
    this._tick = state.tick;
    this._liquidity = state.liquidity;
    this._feeGrowthGlobal0X128 = state.feeGrowthGlobal0X128;
    this._feeGrowthGlobal1X128 = state.feeGrowthGlobal1X128;
    this._feeProtocol = state.feeProtocol ?? 0;
    this.feeBig = BigInt(state.fee);
    this.feeProtocol0 = BigInt(this._feeProtocol % 16);
    this.feeProtocol1 = BigInt(this._feeProtocol >> 4);
    this._protocolFees0 = state.protocolFees?.token0 ?? 0n;
    this._protocolFees1 = state.protocolFees?.token1 ?? 0n;
    this._time = (state.blockTimestamp ?? 0) % 2 ** 32;
    this.oracle = state.oracle === undefined ? Oracle.initialize(this._time) : new Oracle(state.oracle);
    for (const [tick, info] of tickEntries(state.ticks)) {
      // Cleared ticks read back as all zeros from the contract; they are simply not there.
      if (info.liquidityGross === 0n) continue;
      this.tickInfo.set(tick, {
        liquidityGross: info.liquidityGross,
        liquidityNet: info.liquidityNet,
        feeGrowthOutside0X128: info.feeGrowthOutside0X128,
        feeGrowthOutside1X128: info.feeGrowthOutside1X128,
        tickCumulativeOutside: info.tickCumulativeOutside ?? 0n,
        secondsPerLiquidityOutsideX128: info.secondsPerLiquidityOutsideX128 ?? 0n,
        secondsOutside: info.secondsOutside ?? 0,
      });
    }
    this.bitmap = new TickBitmap(state.tickSpacing, this.tickInfo.keys());
    for (const p of state.positions ?? []) {
      this.positionInfo.set(positionKey(p.owner, p.tickLower, p.tickUpper), {
        liquidity: p.liquidity,
        feeGrowthInside0LastX128: p.feeGrowthInside0LastX128,
        feeGrowthInside1LastX128: p.feeGrowthInside1LastX128,
        tokensOwed0: p.tokensOwed0,
        tokensOwed1: p.tokensOwed1,
      });
    }
  }

  /** A new pool as `createPool` + `initialize(sqrtPriceX96)` leave it at `blockTimestamp`. */
  static initialize(parameters: {
    fee: number;
    tickSpacing: number;
    sqrtPriceX96: bigint;
    blockTimestamp: number;
  }): PoolSimulator {
    checkUint("sqrtPriceX96", parameters.sqrtPriceX96, MAX_SQRT_RATIO, 160);
    return new PoolSimulator({
      fee: parameters.fee,
      tickSpacing: parameters.tickSpacing,
      sqrtPriceX96: parameters.sqrtPriceX96,
      tick: getTickAtSqrtRatio(parameters.sqrtPriceX96),
      liquidity: 0n,
      feeGrowthGlobal0X128: 0n,
      feeGrowthGlobal1X128: 0n,
      ticks: new Map(),
      blockTimestamp: parameters.blockTimestamp,
    });
  }

  get sqrtPriceX96(): bigint {
    return this._sqrtPriceX96;
  }
  get tick(): number {
    return this._tick;
  }
  get liquidity(): bigint {
    return this._liquidity;
  }
  get feeGrowthGlobal0X128(): bigint {
    return this._feeGrowthGlobal0X128;
  }
  get feeGrowthGlobal1X128(): bigint {
    return this._feeGrowthGlobal1X128;
  }
  get protocolFees(): { token0: bigint; token1: bigint } {
    return { token0: this._protocolFees0, token1: this._protocolFees1 };
  }
  /** The current block timestamp (uint32 seconds) at which operations happen. */
  get time(): number {
    return this._time;
  }

  slot0(): Slot0 {
    return {
      sqrtPriceX96: this._sqrtPriceX96,
      tick: this._tick,
      observationIndex: this.oracle.observationIndex,
      observationCardinality: this.oracle.observationCardinality,
      observationCardinalityNext: this.oracle.observationCardinalityNext,
      feeProtocol: this._feeProtocol,
      unlocked: true,
    };
  }

  /** Moves block time to `timestamp` (seconds; kept modulo 2^32 as the pool does). */
  setTime(timestamp: number): void {
    if (!Number.isSafeInteger(timestamp) || timestamp < 0)
      throw new InvalidPoolInputError("timestamp", "a non-negative integer number of seconds", timestamp);
    this._time = timestamp % 2 ** 32;
  }

  /** Executes a swap; see SwapParameters. */
  swap(parameters: SwapParameters): SwapResult {
    const quoted = this.lastQuote;
    const outcome =
      quoted !== null &&
      quoted.version === this.version &&
      quoted.zeroForOne === parameters.zeroForOne &&
      quoted.amountSpecified === parameters.amountSpecified &&
      quoted.sqrtPriceLimitX96 === parameters.sqrtPriceLimitX96
        ? quoted
        : this.computeSwap(parameters);
    const crossings = outcome.crossings;
    this.version++;
    const tickStart = this._tick;
    const liquidityStart = this._liquidity;
    if (crossings.length > 0) {
      const { tickCumulative, secondsPerLiquidityCumulativeX128 } = this.oracle.observeSingle(
        this._time,
        0,
        tickStart,
        liquidityStart,
      );
      for (const { tick, feeGrowthGlobalX128 } of crossings) {
        this.cross(
          tick,
          parameters.zeroForOne ? feeGrowthGlobalX128 : this._feeGrowthGlobal0X128,
          parameters.zeroForOne ? this._feeGrowthGlobal1X128 : feeGrowthGlobalX128,
          secondsPerLiquidityCumulativeX128,
          tickCumulative,
        );
      }
    }
    if (outcome.tick !== tickStart) {
      this.oracle.write(this._time, tickStart, liquidityStart);
      this._tick = outcome.tick;
    }
    this._sqrtPriceX96 = outcome.sqrtPriceX96;
    this._liquidity = outcome.liquidity;
    if (parameters.zeroForOne) {
      this._feeGrowthGlobal0X128 = outcome.feeGrowthGlobalX128;
      this._protocolFees0 = BigInt.asUintN(128, this._protocolFees0 + outcome.protocolFee);
    } else {
      this._feeGrowthGlobal1X128 = outcome.feeGrowthGlobalX128;
      this._protocolFees1 = BigInt.asUintN(128, this._protocolFees1 + outcome.protocolFee);
    }
    return toSwapResult(outcome);
  }

  /** What `swap` would return, without changing the pool (a quote, as QuoterV2 gives from the chain). */
  quoteSwap(parameters: SwapParameters): SwapResult {
    const outcome = this.computeSwap(parameters);
    this.lastQuote = outcome;
    return toSwapResult(outcome);
  }

  private computeSwap(parameters: SwapParameters): SwapOutcome {
    const { zeroForOne, amountSpecified } = parameters;
    if (typeof zeroForOne !== "boolean")
      throw new InvalidPoolInputError("zeroForOne", "a boolean", zeroForOne);
    // checkInt(…, 256), then the contract's require(amountSpecified != 0), in as few comparisons as the
    // sign allows: this guards every quote.
    if (typeof amountSpecified !== "bigint") checkInt("amountSpecified", amountSpecified, 256);
    const exactInput = amountSpecified > 0n;
    if (exactInput ? amountSpecified > MAX_INT256 : amountSpecified <= 0n) {
      checkInt("amountSpecified", amountSpecified, 256);
      if (amountSpecified === 0n) throw new PoolRevertError("AS", "amountSpecified is zero");
    }
    const start = this._sqrtPriceX96;
    const limit = parameters.sqrtPriceLimitX96 ?? (zeroForOne ? DEFAULT_LIMIT_DOWN : DEFAULT_LIMIT_UP);
    if (
      typeof limit !== "bigint" ||
      (zeroForOne ? !(limit < start && limit > MIN_SQRT_RATIO) : !(limit > start && limit < MAX_SQRT_RATIO))
    ) {
      throw new PoolRevertError(
        "SPL",
        `sqrtPriceLimitX96 ${limit} must lie ${zeroForOne ? "below" : "above"} the price ${start} and inside the pool's bounds`,
      );
    }
    const feeProtocol = zeroForOne ? this.feeProtocol0 : this.feeProtocol1;
    const takesProtocolFee = feeProtocol !== 0n;
    const fee = this.feeBig;
    let remaining = amountSpecified;
    let calculated = 0n;
    let sqrtPriceX96 = start;
    let tick = this._tick;
    let feeGrowthGlobalX128 = zeroForOne ? this._feeGrowthGlobal0X128 : this._feeGrowthGlobal1X128;
    let protocolFee = 0n;
    let feeAmount = 0n;
    let liquidity = this._liquidity;
    let ticksCrossed = 0;
    let steps = 0;
    let crossings = NO_CROSSINGS;

    while (remaining !== 0n && sqrtPriceX96 !== limit) {
      steps++;
      const stepStart = sqrtPriceX96;
      const next = this.bitmap.nextInitializedTickWithinOneWord(tick, zeroForOne);
      const initialized = next[1];
      let tickNext = next[0];
      if (tickNext < MIN_TICK) tickNext = MIN_TICK;
      else if (tickNext > MAX_TICK) tickNext = MAX_TICK;
      const sqrtPriceNextX96 = getSqrtRatioAtTick(tickNext);
      const stepTarget = (zeroForOne ? sqrtPriceNextX96 < limit : sqrtPriceNextX96 > limit)
        ? limit
        : sqrtPriceNextX96;
      const step = swapStep(sqrtPriceX96, stepTarget, liquidity, remaining, fee);
      sqrtPriceX96 = step.sqrtRatioNextX96;
      // Exact input that stopped short of its target: the step's fee is the rest of the input, so the step
      // used it all (amountIn + feeAmount = remaining) and this is the swap's last step. Most swaps are one
      // such step; the sums and checks that cannot matter are then spared.
      const usedUp = exactInput && sqrtPriceX96 !== stepTarget;
      if (usedUp) {
        remaining = 0n;
        // No int256 check of amountOut is needed: with liquidity < 2^128 and prices in [2^32, 2^160) it is
        // below 2^192. `calculated` only falls with exact input.
        if (calculated === 0n) calculated = -step.amountOut;
        else if ((calculated -= step.amountOut) < MIN_INT256)
          throw new PoolRevertError("overflow", "the swap's calculated amount overflows int256");
      } else {
        const paid = step.amountIn + step.feeAmount;
        if (paid > MAX_INT256 || step.amountOut > MAX_INT256)
          throw new PoolRevertError("overflow", "a step's amount does not fit in int256");
        if (exactInput) {
          remaining -= paid;
          calculated -= step.amountOut;
        } else {
          remaining += step.amountOut;
          calculated += paid;
        }
        if (calculated > MAX_INT256 || calculated < MIN_INT256)
          throw new PoolRevertError("overflow", "the swap's calculated amount overflows int256");
      }
      feeAmount = feeAmount === 0n ? step.feeAmount : feeAmount + step.feeAmount;
      let lpFee = step.feeAmount;
      if (takesProtocolFee) {
        const delta = lpFee / feeProtocol;
        lpFee -= delta;
        protocolFee = BigInt.asUintN(128, protocolFee + delta);
      }
      if (liquidity > 0n) {
        // mulDiv(lpFee, Q128, liquidity) with the multiplication as a shift.
        const growth = (lpFee << 128n) / liquidity;
        if (growth > MAX_UINT256)
          throw new PoolRevertError("mulDiv", "fee growth of the step overflows 256 bits");
        // uint256 addition wraps; both terms are below 2^256, so one subtraction is the modulo (a compare
        // costs far less than masking a bigint).
        feeGrowthGlobalX128 += growth;
        if (feeGrowthGlobalX128 > MAX_UINT256) feeGrowthGlobalX128 -= TWO_256;
      }

      if (usedUp) {
        // Its price lies strictly between the step's start and its target (both in the pool's range), so
        // neither a crossing nor, unless the price moved, a new tick.
        if (sqrtPriceX96 !== stepStart) tick = tickAtSqrtRatioInRange(sqrtPriceX96, tick);
        break;
      }
      if (sqrtPriceX96 === sqrtPriceNextX96) {
        if (initialized) {
          const net = this.tickInfo.get(tickNext)?.liquidityNet ?? 0n;
          liquidity = addDelta(liquidity, zeroForOne ? -net : net);
          if (crossings === NO_CROSSINGS) crossings = [];
          crossings.push({ tick: tickNext, feeGrowthGlobalX128 });
          ticksCrossed++;
        }
        tick = zeroForOne ? tickNext - 1 : tickNext;
      } else if (sqrtPriceX96 !== stepStart) {
        // The price lies strictly between the step's start and its target, both in the pool's range.
        tick = tickAtSqrtRatioInRange(sqrtPriceX96, tick);
      }
    }

    const specified = remaining === 0n ? amountSpecified : amountSpecified - remaining;
    const tokens0Specified = zeroForOne === exactInput;
    // A new object each time, not one rewritten in place: storing new bigints into a long-lived object
    // costs a write barrier per field, more than allocating.
    return {
      amount0: tokens0Specified ? specified : calculated,
      amount1: tokens0Specified ? calculated : specified,
      sqrtPriceX96,
      tick,
      liquidity,
      feeAmount,
      protocolFee,
      ticksCrossed,
      steps,
      feeGrowthGlobalX128,
      crossings,
      zeroForOne,
      amountSpecified,
      sqrtPriceLimitX96: parameters.sqrtPriceLimitX96,
      version: this.version,
    };
  }

  private cross(
    tick: number,
    feeGrowthGlobal0X128: bigint,
    feeGrowthGlobal1X128: bigint,
    secondsPerLiquidityCumulativeX128: bigint,
    tickCumulative: bigint,
  ): void {
    const info = this.tickInfo.get(tick);
    if (info === undefined) return;
    info.feeGrowthOutside0X128 = (feeGrowthGlobal0X128 - info.feeGrowthOutside0X128) & MAX_UINT256;
    info.feeGrowthOutside1X128 = (feeGrowthGlobal1X128 - info.feeGrowthOutside1X128) & MAX_UINT256;
    info.secondsPerLiquidityOutsideX128 = BigInt.asUintN(
      160,
      secondsPerLiquidityCumulativeX128 - info.secondsPerLiquidityOutsideX128,
    );
    info.tickCumulativeOutside = BigInt.asIntN(56, tickCumulative - info.tickCumulativeOutside);
    info.secondsOutside = (this._time - info.secondsOutside) >>> 0;
  }

  /** Adds `amount` of liquidity to the owner's position; returns what the pool asks to be paid. */
  mint(parameters: ModifyPositionParameters): TokenAmounts {
    checkUint("amount", parameters.amount, MAX_UINT128, 128);
    if (parameters.amount === 0n) throw new PoolRevertError("amount", "mint amount must be positive");
    if (parameters.amount >= 1n << 127n) throw new PoolRevertError("overflow", "mint amount exceeds int128");
    return this.modifyPosition(parameters, parameters.amount);
  }

  /** Removes `amount` of liquidity; returns the token amounts credited to the position's tokens owed. */
  burn(parameters: ModifyPositionParameters): TokenAmounts {
    checkUint("amount", parameters.amount, MAX_UINT128, 128);
    if (parameters.amount >= 1n << 127n) throw new PoolRevertError("overflow", "burn amount exceeds int128");
    const { amount0, amount1 } = this.modifyPosition(parameters, -parameters.amount);
    const result = { amount0: -amount0, amount1: -amount1 };
    if (result.amount0 > 0n || result.amount1 > 0n) {
      const position = this.positionInfo.get(
        positionKey(parameters.owner, parameters.tickLower, parameters.tickUpper),
      )!;
      position.tokensOwed0 = BigInt.asUintN(128, position.tokensOwed0 + result.amount0);
      position.tokensOwed1 = BigInt.asUintN(128, position.tokensOwed1 + result.amount1);
    }
    return result;
  }

  /** Pays out up to the requested amounts of the position's tokens owed; returns what was paid. */
  collect(parameters: CollectParameters): TokenAmounts {
    const { owner, tickLower, tickUpper } = parameters;
    checkUint("amount0Requested", parameters.amount0Requested, MAX_UINT128, 128);
    checkUint("amount1Requested", parameters.amount1Requested, MAX_UINT128, 128);
    const position = this.positionInfo.get(positionKey(owner, tickLower, tickUpper));
    if (position === undefined) return { amount0: 0n, amount1: 0n };
    const amount0 =
      parameters.amount0Requested > position.tokensOwed0 ? position.tokensOwed0 : parameters.amount0Requested;
    const amount1 =
      parameters.amount1Requested > position.tokensOwed1 ? position.tokensOwed1 : parameters.amount1Requested;
    position.tokensOwed0 -= amount0;
    position.tokensOwed1 -= amount1;
    return { amount0, amount1 };
  }

  /**
   * A flash loan of `amount0`/`amount1` repaid with `paid0`/`paid1` on top (at least the fee): what was paid
   * is shared by in-range liquidity as fee growth, less the protocol's share.
   */
  flash(parameters: FlashParameters): void {
    const amount0 = checkUint("amount0", parameters.amount0, MAX_UINT256, 256);
    const amount1 = checkUint("amount1", parameters.amount1, MAX_UINT256, 256);
    const paid0 = checkUint("paid0", parameters.paid0, MAX_UINT256, 256);
    const paid1 = checkUint("paid1", parameters.paid1, MAX_UINT256, 256);
    const liquidity = this._liquidity;
    if (liquidity === 0n) throw new PoolRevertError("L", "flash needs in-range liquidity");
    this.version++;
    const fee = BigInt(this.fee);
    if (paid0 < mulDivRoundingUp(amount0, fee, FEE_DENOMINATOR))
      throw new PoolRevertError("F0", `paid0 ${paid0} is less than the fee on ${amount0}`);
    if (paid1 < mulDivRoundingUp(amount1, fee, FEE_DENOMINATOR))
      throw new PoolRevertError("F1", `paid1 ${paid1} is less than the fee on ${amount1}`);
    if (paid0 > 0n) {
      const feeProtocol0 = BigInt(this._feeProtocol % 16);
      const fees0 = feeProtocol0 === 0n ? 0n : paid0 / feeProtocol0;
      this._protocolFees0 = BigInt.asUintN(128, this._protocolFees0 + BigInt.asUintN(128, fees0));
      this._feeGrowthGlobal0X128 =
        (this._feeGrowthGlobal0X128 + mulDiv(paid0 - fees0, Q128, liquidity)) & MAX_UINT256;
    }
    if (paid1 > 0n) {
      const feeProtocol1 = BigInt(this._feeProtocol >> 4);
      const fees1 = feeProtocol1 === 0n ? 0n : paid1 / feeProtocol1;
      this._protocolFees1 = BigInt.asUintN(128, this._protocolFees1 + BigInt.asUintN(128, fees1));
      this._feeGrowthGlobal1X128 =
        (this._feeGrowthGlobal1X128 + mulDiv(paid1 - fees1, Q128, liquidity)) & MAX_UINT256;
    }
  }

  /**
   * Records a position the pool's ticks and liquidity already contain (minted before the state was read),
   * so a later burn of it can be replayed. It starts with no fees owed.
   */
  trackExistingPosition(parameters: ModifyPositionParameters): void {
    const { owner, tickLower, tickUpper, amount } = parameters;
    checkTicks(tickLower, tickUpper);
    checkUint("amount", amount, MAX_UINT128, 128);
    const key = positionKey(owner, tickLower, tickUpper);
    const { feeGrowthInside0X128, feeGrowthInside1X128 } = this.feeGrowthInside(tickLower, tickUpper);
    const position = this.positionInfo.get(key);
    if (position === undefined) {
      this.positionInfo.set(key, {
        liquidity: amount,
        feeGrowthInside0LastX128: feeGrowthInside0X128,
        feeGrowthInside1LastX128: feeGrowthInside1X128,
        tokensOwed0: 0n,
        tokensOwed1: 0n,
      });
      return;
    }
    // Settle the tracked part's fees first so the added liquidity earns nothing retroactively.
    const owed = this.pendingFees(position, feeGrowthInside0X128, feeGrowthInside1X128);
    position.tokensOwed0 = BigInt.asUintN(128, position.tokensOwed0 + owed.amount0);
    position.tokensOwed1 = BigInt.asUintN(128, position.tokensOwed1 + owed.amount1);
    position.feeGrowthInside0LastX128 = feeGrowthInside0X128;
    position.feeGrowthInside1LastX128 = feeGrowthInside1X128;
    position.liquidity = addDelta(position.liquidity, amount);
  }

  private modifyPosition(parameters: ModifyPositionParameters, liquidityDelta: bigint): TokenAmounts {
    const { owner, tickLower, tickUpper } = parameters;
    if (typeof owner !== "string" || owner === "")
      throw new InvalidPoolInputError("owner", "a non-empty string (an address)", owner);
    checkTicks(tickLower, tickUpper);
    const tick = this._tick;
    const key = positionKey(owner, tickLower, tickUpper);
    const position = this.positionInfo.get(key);

    // Every check first, in the contract's order, so a revert leaves nothing half-applied.
    let lowerUpdate: TickUpdate | null = null;
    let upperUpdate: TickUpdate | null = null;
    if (liquidityDelta !== 0n) {
      lowerUpdate = this.planTickUpdate(tickLower, liquidityDelta, false);
      upperUpdate = this.planTickUpdate(tickUpper, liquidityDelta, true);
      for (const update of [lowerUpdate, upperUpdate]) {
        if (update.flipped && update.tick % this.tickSpacing !== 0)
          throw new PoolRevertError(
            "tick spacing",
            `tick ${update.tick} is not a multiple of ${this.tickSpacing}`,
          );
      }
    }
    const positionLiquidity = position?.liquidity ?? 0n;
    if (liquidityDelta === 0n && positionLiquidity === 0n)
      throw new PoolRevertError("NP", "poke of a position with no liquidity");
    const liquidityNext =
      liquidityDelta === 0n ? positionLiquidity : addDelta(positionLiquidity, liquidityDelta);
    let amount0 = 0n;
    let amount1 = 0n;
    let activeLiquidity = this._liquidity;
    if (liquidityDelta !== 0n) {
      if (tick < tickLower) {
        amount0 = getAmount0DeltaSigned(
          getSqrtRatioAtTick(tickLower),
          getSqrtRatioAtTick(tickUpper),
          liquidityDelta,
        );
      } else if (tick < tickUpper) {
        amount0 = getAmount0DeltaSigned(this._sqrtPriceX96, getSqrtRatioAtTick(tickUpper), liquidityDelta);
        amount1 = getAmount1DeltaSigned(getSqrtRatioAtTick(tickLower), this._sqrtPriceX96, liquidityDelta);
        activeLiquidity = addDelta(activeLiquidity, liquidityDelta);
      } else {
        amount1 = getAmount1DeltaSigned(
          getSqrtRatioAtTick(tickLower),
          getSqrtRatioAtTick(tickUpper),
          liquidityDelta,
        );
      }
    }

    // Effects, in the contract's order.
    this.version++;
    if (lowerUpdate !== null && upperUpdate !== null) {
      const { tickCumulative, secondsPerLiquidityCumulativeX128 } = this.oracle.observeSingle(
        this._time,
        0,
        tick,
        this._liquidity,
      );
      for (const update of [lowerUpdate, upperUpdate]) {
        this.applyTickUpdate(update, tick, secondsPerLiquidityCumulativeX128, tickCumulative);
      }
    }
    const { feeGrowthInside0X128, feeGrowthInside1X128 } = this.feeGrowthInside(tickLower, tickUpper);
    const target =
      position ??
      this.positionInfo
        .set(key, {
          liquidity: 0n,
          feeGrowthInside0LastX128: 0n,
          feeGrowthInside1LastX128: 0n,
          tokensOwed0: 0n,
          tokensOwed1: 0n,
        })
        .get(key)!;
    const owed = this.pendingFees(target, feeGrowthInside0X128, feeGrowthInside1X128);
    target.liquidity = liquidityNext;
    target.feeGrowthInside0LastX128 = feeGrowthInside0X128;
    target.feeGrowthInside1LastX128 = feeGrowthInside1X128;
    target.tokensOwed0 = BigInt.asUintN(128, target.tokensOwed0 + owed.amount0);
    target.tokensOwed1 = BigInt.asUintN(128, target.tokensOwed1 + owed.amount1);
    if (liquidityDelta < 0n) {
      if (lowerUpdate?.flipped) this.tickInfo.delete(tickLower);
      if (upperUpdate?.flipped) this.tickInfo.delete(tickUpper);
    }
    if (tick >= tickLower && tick < tickUpper && liquidityDelta !== 0n) {
      this.oracle.write(this._time, tick, this._liquidity);
      this._liquidity = activeLiquidity;
    }
    return { amount0, amount1 };
  }

  private planTickUpdate(tick: number, liquidityDelta: bigint, upper: boolean): TickUpdate {
    const info = this.tickInfo.get(tick);
    const grossBefore = info?.liquidityGross ?? 0n;
    const grossAfter = addDelta(grossBefore, liquidityDelta);
    if (grossAfter > this.maxLiquidityPerTick)
      throw new PoolRevertError("LO", `tick ${tick} would hold ${grossAfter} > ${this.maxLiquidityPerTick}`);
    const net = (info?.liquidityNet ?? 0n) + (upper ? -liquidityDelta : liquidityDelta);
    checkInt("liquidityNet", net, 128);
    return { tick, grossBefore, grossAfter, net, flipped: (grossAfter === 0n) !== (grossBefore === 0n) };
  }

  private applyTickUpdate(
    update: TickUpdate,
    tickCurrent: number,
    secondsPerLiquidityCumulativeX128: bigint,
    tickCumulative: bigint,
  ): void {
    let info = this.tickInfo.get(update.tick);
    if (info === undefined) {
      info = {
        liquidityGross: 0n,
        liquidityNet: 0n,
        feeGrowthOutside0X128: 0n,
        feeGrowthOutside1X128: 0n,
        tickCumulativeOutside: 0n,
        secondsPerLiquidityOutsideX128: 0n,
        secondsOutside: 0,
      };
      this.tickInfo.set(update.tick, info);
    }
    // By convention all growth so far happened below a newly initialised tick at or under the price.
    if (update.grossBefore === 0n && update.tick <= tickCurrent) {
      info.feeGrowthOutside0X128 = this._feeGrowthGlobal0X128;
      info.feeGrowthOutside1X128 = this._feeGrowthGlobal1X128;
      info.secondsPerLiquidityOutsideX128 = secondsPerLiquidityCumulativeX128;
      info.tickCumulativeOutside = tickCumulative;
      info.secondsOutside = this._time;
    }
    info.liquidityGross = update.grossAfter;
    info.liquidityNet = update.net;
    if (update.flipped) this.bitmap.flipTick(update.tick);
  }

  private pendingFees(position: PositionInfo, inside0: bigint, inside1: bigint): TokenAmounts {
    return getTokensOwed(
      position.liquidity,
      position.feeGrowthInside0LastX128,
      position.feeGrowthInside1LastX128,
      {
        feeGrowthInside0X128: inside0,
        feeGrowthInside1X128: inside1,
      },
    );
  }

  /** Tick.getFeeGrowthInside at the current tick and fee growth. */
  feeGrowthInside(tickLower: number, tickUpper: number): FeeGrowthInside {
    return getFeeGrowthInside(
      this.tickInfo.get(tickLower) ?? null,
      this.tickInfo.get(tickUpper) ?? null,
      tickLower,
      tickUpper,
      this._tick,
      this._feeGrowthGlobal0X128,
      this._feeGrowthGlobal1X128,
    );
  }

  /**
   * Tokens the position could collect now: its tokens owed plus the fees accrued since it was last touched
   * (what a poke, burn of 0, would add), without changing anything.
   */
  positionFees(owner: string, tickLower: number, tickUpper: number): TokenAmounts {
    const position = this.positionInfo.get(positionKey(owner, tickLower, tickUpper));
    if (position === undefined) return { amount0: 0n, amount1: 0n };
    const { feeGrowthInside0X128, feeGrowthInside1X128 } = this.feeGrowthInside(tickLower, tickUpper);
    const pending = this.pendingFees(position, feeGrowthInside0X128, feeGrowthInside1X128);
    return {
      amount0: BigInt.asUintN(128, position.tokensOwed0 + pending.amount0),
      amount1: BigInt.asUintN(128, position.tokensOwed1 + pending.amount1),
    };
  }

  /** `positions(key)` of the contract for (owner, tickLower, tickUpper); zeros when there is none. */
  position(owner: string, tickLower: number, tickUpper: number): PositionState {
    const p = this.positionInfo.get(positionKey(owner, tickLower, tickUpper));
    return {
      owner: owner.toLowerCase(),
      tickLower,
      tickUpper,
      liquidity: p?.liquidity ?? 0n,
      feeGrowthInside0LastX128: p?.feeGrowthInside0LastX128 ?? 0n,
      feeGrowthInside1LastX128: p?.feeGrowthInside1LastX128 ?? 0n,
      tokensOwed0: p?.tokensOwed0 ?? 0n,
      tokensOwed1: p?.tokensOwed1 ?? 0n,
    };
  }

  /** `ticks(tick)` of the contract: the tick's state, or null when it is not initialised. */
  tickState(tick: number): Required<TickState> | null {
    const info = this.tickInfo.get(tick);
    return info === undefined ? null : { ...info };
  }

  /** Initialised ticks, ascending. */
  initializedTicks(): number[] {
    return this.bitmap.ticks();
  }

  /** `tickBitmap(wordPos)` of the contract. */
  tickBitmapWord(wordPos: number): bigint {
    return this.bitmap.word(wordPos);
  }

  /** `observe(secondsAgos)` of the contract, at the current block time. */
  observe(secondsAgos: readonly number[]): Cumulatives[] {
    return this.oracle.observe(this._time, secondsAgos, this._tick, this._liquidity);
  }

  /** `observations(index)` of the contract. */
  observation(index: number) {
    return { ...this.oracle.at(index) };
  }

  increaseObservationCardinalityNext(observationCardinalityNext: number): void {
    this.oracle.grow(observationCardinalityNext);
  }

  /** `snapshotCumulativesInside(tickLower, tickUpper)`: time, tick and seconds-per-liquidity spent in range. */
  snapshotCumulativesInside(tickLower: number, tickUpper: number): CumulativesInside {
    checkTicks(tickLower, tickUpper);
    const lower = this.tickInfo.get(tickLower);
    const upper = this.tickInfo.get(tickUpper);
    if (lower === undefined || upper === undefined)
      throw new PoolRevertError(
        "not initialized",
        `ticks ${tickLower} and ${tickUpper} must both be initialised`,
      );
    if (this._tick < tickLower) {
      return {
        tickCumulativeInside: BigInt.asIntN(56, lower.tickCumulativeOutside - upper.tickCumulativeOutside),
        secondsPerLiquidityInsideX128: BigInt.asUintN(
          160,
          lower.secondsPerLiquidityOutsideX128 - upper.secondsPerLiquidityOutsideX128,
        ),
        secondsInside: (lower.secondsOutside - upper.secondsOutside) >>> 0,
      };
    }
    if (this._tick < tickUpper) {
      const now = this.oracle.observeSingle(this._time, 0, this._tick, this._liquidity);
      return {
        tickCumulativeInside: BigInt.asIntN(
          56,
          now.tickCumulative - lower.tickCumulativeOutside - upper.tickCumulativeOutside,
        ),
        secondsPerLiquidityInsideX128: BigInt.asUintN(
          160,
          now.secondsPerLiquidityCumulativeX128 -
            lower.secondsPerLiquidityOutsideX128 -
            upper.secondsPerLiquidityOutsideX128,
        ),
        secondsInside: (this._time - lower.secondsOutside - upper.secondsOutside) >>> 0,
      };
    }
    return {
      tickCumulativeInside: BigInt.asIntN(56, upper.tickCumulativeOutside - lower.tickCumulativeOutside),
      secondsPerLiquidityInsideX128: BigInt.asUintN(
        160,
        upper.secondsPerLiquidityOutsideX128 - lower.secondsPerLiquidityOutsideX128,
      ),
      secondsInside: (upper.secondsOutside - lower.secondsOutside) >>> 0,
    };
  }

  /** setFeeProtocol: each nibble 0 (off) or 4..10 (the protocol takes 1/n of swap fees). */
  setFeeProtocol(feeProtocol0: number, feeProtocol1: number): void {
    const ok = (f: number) => Number.isInteger(f) && (f === 0 || (f >= 4 && f <= 10));
    if (!ok(feeProtocol0) || !ok(feeProtocol1))
      throw new PoolRevertError(
        "fee protocol",
        `each share must be 0 or in 4..10, got ${feeProtocol0}, ${feeProtocol1}`,
      );
    this._feeProtocol = feeProtocol0 + (feeProtocol1 << 4);
    this.feeProtocol0 = BigInt(feeProtocol0);
    this.feeProtocol1 = BigInt(feeProtocol1);
    this.version++;
  }

  /** The pool's whole state as plain data, to start another simulator from or to store. */
  snapshot(): PoolState {
    const ticks = new Map<number, TickState>();
    for (const tick of this.bitmap.ticks()) ticks.set(tick, { ...this.tickInfo.get(tick)! });
    const positions: PositionState[] = [];
    for (const [key, p] of this.positionInfo) {
      const [owner, tickLower, tickUpper] = key.split("|");
      positions.push({ owner: owner!, tickLower: Number(tickLower), tickUpper: Number(tickUpper), ...p });
    }
    const oracle: OracleState = this.oracle.state();
    return {
      fee: this.fee,
      tickSpacing: this.tickSpacing,
      sqrtPriceX96: this._sqrtPriceX96,
      tick: this._tick,
      liquidity: this._liquidity,
      feeGrowthGlobal0X128: this._feeGrowthGlobal0X128,
      feeGrowthGlobal1X128: this._feeGrowthGlobal1X128,
      ticks,
      feeProtocol: this._feeProtocol,
      protocolFees: this.protocolFees,
      oracle,
      positions,
      blockTimestamp: this._time,
    };
  }

  /** An independent copy (e.g. to try a rebalance without touching the replayed pool). */
  clone(): PoolSimulator {
    return new PoolSimulator(this.snapshot());
  }
}

interface TickUpdate {
  tick: number;
  grossBefore: bigint;
  grossAfter: bigint;
  net: bigint;
  flipped: boolean;
}

function toSwapResult(outcome: SwapOutcome): SwapResult {
  const { amount0, amount1, sqrtPriceX96, tick, liquidity, feeAmount, protocolFee, ticksCrossed, steps } =
    outcome;
  return { amount0, amount1, sqrtPriceX96, tick, liquidity, feeAmount, protocolFee, ticksCrossed, steps };
}
