import { MAX_TICK, MAX_UINT128, MAX_UINT160, MAX_UINT256, MIN_TICK } from "./constants.js";
import { InvalidPoolInputError } from "./errors.js";
import type { OracleState } from "./oracle.js";
import { getSqrtRatioAtTick, getTickAtSqrtRatio } from "./tickMath.js";

/** One initialised tick as `UniswapV3Pool.ticks(tick)` returns it. The oracle fields may be left out. */
export interface TickState {
  liquidityGross: bigint;
  liquidityNet: bigint;
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
  tickCumulativeOutside?: bigint;
  secondsPerLiquidityOutsideX128?: bigint;
  secondsOutside?: number;
}

/** One position as `UniswapV3Pool.positions(keccak(owner, tickLower, tickUpper))` returns it. */
export interface PositionState {
  owner: string;
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  feeGrowthInside0LastX128: bigint;
  feeGrowthInside1LastX128: bigint;
  tokensOwed0: bigint;
  tokensOwed1: bigint;
}

/**
 * A pool's state as plain data: what the simulator starts from (a chain read, a state file, a snapshot of
 * another simulator) and what `PoolSimulator.snapshot()` returns.
 */
export interface PoolState {
  /** Fee in hundredths of a basis point (500 = 0.05 %). */
  fee: number;
  tickSpacing: number;
  sqrtPriceX96: bigint;
  tick: number;
  /** Active liquidity (the pool's `liquidity()`). */
  liquidity: bigint;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  /** Initialised ticks, keyed by tick (a Map, or an object with the ticks as keys). */
  ticks: ReadonlyMap<number, TickState> | Readonly<Record<string, TickState>>;
  /** slot0.feeProtocol: token0's share divisor in the low 4 bits, token1's in the high 4 (0 = off). */
  feeProtocol?: number;
  protocolFees?: { token0: bigint; token1: bigint };
  /** The oracle ring buffer; without it the simulator starts a fresh one at `blockTimestamp`. */
  oracle?: OracleState;
  positions?: readonly PositionState[];
  /** block.timestamp of the state (seconds); operations happen at this time until `setTime` moves it. */
  blockTimestamp?: number;
}

export function checkUint(field: string, value: unknown, max: bigint, bits: number): bigint {
  if (typeof value !== "bigint" || value < 0n || value > max)
    throw new InvalidPoolInputError(field, `a bigint in [0, 2^${bits})`, value);
  return value;
}

// [min, max] of intN per bit width, both kept: negating the bound on each call would allocate a bigint on
// every swap (checkInt guards each swap's amount).
const INT_BOUNDS = new Map<number, readonly [min: bigint, max: bigint]>();

export function checkInt(field: string, value: unknown, bits: number): bigint {
  let bounds = INT_BOUNDS.get(bits);
  if (bounds === undefined) {
    const half = 1n << BigInt(bits - 1);
    INT_BOUNDS.set(bits, (bounds = [-half, half - 1n]));
  }
  if (typeof value !== "bigint" || value < bounds[0] || value > bounds[1])
    throw new InvalidPoolInputError(field, `a bigint in [-2^${bits - 1}, 2^${bits - 1})`, value);
  return value;
}

export function checkTick(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < MIN_TICK || value > MAX_TICK)
    throw new InvalidPoolInputError(field, `an integer tick in [${MIN_TICK}, ${MAX_TICK}]`, value);
  return value;
}

export function tickEntries(ticks: PoolState["ticks"]): [number, TickState][] {
  if (ticks instanceof Map) return [...(ticks as ReadonlyMap<number, TickState>).entries()];
  if (ticks === null || typeof ticks !== "object")
    throw new InvalidPoolInputError("ticks", "a Map or an object keyed by tick", ticks);
  return Object.entries(ticks as Readonly<Record<string, TickState>>).map(([key, info]) => {
    const tick = Number(key);
    return [checkTick(`ticks[${JSON.stringify(key)}] (key)`, tick), info];
  });
}

/** Checks a PoolState's fields, naming the first wrong one, so a bad chain read or file fails where it is read. */
export function validatePoolState(state: PoolState): void {
  if (state === null || typeof state !== "object")
    throw new InvalidPoolInputError("state", "a PoolState", state);
  if (!Number.isInteger(state.fee) || state.fee <= 0 || state.fee >= 1_000_000)
    throw new InvalidPoolInputError("fee", "an integer in (0, 1000000) hundredths of a bip", state.fee);
  if (!Number.isInteger(state.tickSpacing) || state.tickSpacing <= 0 || state.tickSpacing >= 16384)
    throw new InvalidPoolInputError("tickSpacing", "an integer in (0, 16384)", state.tickSpacing);
  checkUint("sqrtPriceX96", state.sqrtPriceX96, MAX_UINT160, 160);
  checkTick("tick", state.tick);
  const expected = getTickAtSqrtRatio(state.sqrtPriceX96);
  // A swap down that ends exactly on an initialised tick leaves slot0.tick one below the price's tick.
  const onBoundaryBelow = state.tick === expected - 1 && getSqrtRatioAtTick(expected) === state.sqrtPriceX96;
  if (state.tick !== expected && !onBoundaryBelow)
    throw new InvalidPoolInputError(
      "tick",
      `${expected}, the tick of sqrtPriceX96 ${state.sqrtPriceX96}`,
      state.tick,
    );
  checkUint("liquidity", state.liquidity, MAX_UINT128, 128);
  checkUint("feeGrowthGlobal0X128", state.feeGrowthGlobal0X128, MAX_UINT256, 256);
  checkUint("feeGrowthGlobal1X128", state.feeGrowthGlobal1X128, MAX_UINT256, 256);
  if (state.feeProtocol !== undefined) {
    const f0 = state.feeProtocol % 16;
    const f1 = state.feeProtocol >> 4;
    const ok = (f: number) => f === 0 || (f >= 4 && f <= 10);
    if (
      !Number.isInteger(state.feeProtocol) ||
      state.feeProtocol < 0 ||
      state.feeProtocol > 255 ||
      !ok(f0) ||
      !ok(f1)
    )
      throw new InvalidPoolInputError(
        "feeProtocol",
        "a byte whose two nibbles are 0 or 4..10",
        state.feeProtocol,
      );
  }
  if (
    state.blockTimestamp !== undefined &&
    (!Number.isInteger(state.blockTimestamp) || state.blockTimestamp < 0)
  )
    throw new InvalidPoolInputError(
      "blockTimestamp",
      "a non-negative integer (seconds)",
      state.blockTimestamp,
    );
  for (const [tick, info] of tickEntries(state.ticks)) {
    const at = `ticks[${tick}]`;
    checkTick(`${at} (key)`, tick);
    if (info === null || typeof info !== "object") throw new InvalidPoolInputError(at, "a TickState", info);
    if (tick % state.tickSpacing !== 0)
      throw new InvalidPoolInputError(`${at} (key)`, `a multiple of tickSpacing ${state.tickSpacing}`, tick);
    checkUint(`${at}.liquidityGross`, info.liquidityGross, MAX_UINT128, 128);
    checkInt(`${at}.liquidityNet`, info.liquidityNet, 128);
    checkUint(`${at}.feeGrowthOutside0X128`, info.feeGrowthOutside0X128, MAX_UINT256, 256);
    checkUint(`${at}.feeGrowthOutside1X128`, info.feeGrowthOutside1X128, MAX_UINT256, 256);
    if (info.tickCumulativeOutside !== undefined)
      checkInt(`${at}.tickCumulativeOutside`, info.tickCumulativeOutside, 56);
    if (info.secondsPerLiquidityOutsideX128 !== undefined)
      checkUint(
        `${at}.secondsPerLiquidityOutsideX128`,
        info.secondsPerLiquidityOutsideX128,
        MAX_UINT160,
        160,
      );
    if (info.liquidityNet > info.liquidityGross || -info.liquidityNet > info.liquidityGross)
      throw new InvalidPoolInputError(
        `${at}.liquidityNet`,
        `|liquidityNet| <= liquidityGross (${info.liquidityGross})`,
        info.liquidityNet,
      );
  }
  for (const [i, position] of (state.positions ?? []).entries()) {
    const at = `positions[${i}]`;
    if (typeof position.owner !== "string" || position.owner === "")
      throw new InvalidPoolInputError(`${at}.owner`, "a non-empty string (an address)", position.owner);
    checkTick(`${at}.tickLower`, position.tickLower);
    checkTick(`${at}.tickUpper`, position.tickUpper);
    checkUint(`${at}.liquidity`, position.liquidity, MAX_UINT128, 128);
    checkUint(`${at}.feeGrowthInside0LastX128`, position.feeGrowthInside0LastX128, MAX_UINT256, 256);
    checkUint(`${at}.feeGrowthInside1LastX128`, position.feeGrowthInside1LastX128, MAX_UINT256, 256);
    checkUint(`${at}.tokensOwed0`, position.tokensOwed0, MAX_UINT128, 128);
    checkUint(`${at}.tokensOwed1`, position.tokensOwed1, MAX_UINT128, 128);
  }
}
