import { readFileSync } from "node:fs";

import { getAddress, isAddress, type Address } from "viem";

/**
 * Readers of the recorded Uniswap v3 pool state files (`pool_state_block<N>.json`) and event files
 * (`events_<from>_<to>.json`) in ../shared/data. Their integers exceed 2^53, so the JSON text is parsed with
 * each integer literal turned into a bigint from its source digits, never through a float. Field types
 * follow viem's ABI mapping: integers of 48 bits or fewer (ticks, uint32 timestamps, indexes) are numbers,
 * wider ones bigints, so records compare directly with what `pool.read.*` returns.
 */

export class PoolStateFileError extends Error {
  constructor(path: string, field: string, expected: string, got?: unknown) {
    const shown =
      got === undefined
        ? "nothing"
        : typeof got === "bigint"
          ? got.toString()
          : JSON.stringify(got, (_k, v: unknown) => (typeof v === "bigint" ? `${v}` : v));
    super(`${path}: ${field} must be ${expected}, got ${shown}`);
    this.name = "PoolStateFileError";
  }
}

export interface PoolSlot0Record {
  sqrtPriceX96: bigint;
  tick: number;
  observationIndex: number;
  observationCardinality: number;
  /** As recorded; the data README warns it is not reliable (protocol fees were off on mainnet). */
  feeProtocol: number;
}

export interface TickRecord {
  liquidityGross: bigint;
  liquidityNet: bigint;
  feeGrowthOutside0X128: bigint;
  feeGrowthOutside1X128: bigint;
  tickCumulativeOutside: bigint;
  secondsPerLiquidityOutsideX128: bigint;
  secondsOutside: number;
  initialized: boolean;
}

export interface PositionRecord {
  owner: Address;
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
  feeGrowthInside0LastX128: bigint;
  feeGrowthInside1LastX128: bigint;
  tokensOwed0: bigint;
  tokensOwed1: bigint;
}

export interface ObservationRecord {
  blockTimestamp: number;
  tickCumulative: bigint;
  secondsPerLiquidityCumulativeX128: bigint;
  initialized: boolean;
}

export interface PoolStateFile {
  path: string;
  poolAddress: Address;
  block: bigint;
  token0: Address;
  token1: Address;
  fee: number;
  tickSpacing: number;
  maxLiquidityPerTick: bigint;
  feeGrowthGlobal0X128: bigint;
  feeGrowthGlobal1X128: bigint;
  protocolFees: { token0: bigint; token1: bigint };
  liquidity: bigint;
  slot0: PoolSlot0Record;
  /** The pool's token balances, where the file records them. */
  balance0?: bigint;
  balance1?: bigint;
  /** Every recorded tick (initialised or not), ascending. The files cover ±300 tick spacings around the price. */
  ticks: Map<number, TickRecord>;
  positions: PositionRecord[];
  /** Indexed as in the pool's `observations` array. */
  observations: ObservationRecord[];
}

interface PoolEventRecordBase {
  /** `blockNo` in the file. */
  blockNumber: bigint;
  timestamp: number;
  gasPrice: bigint;
  gasUsed: bigint;
}

export interface SwapEventRecord extends PoolEventRecordBase {
  method: "SWAP";
  sender: Address;
  recipient: Address;
  amount0: bigint;
  amount1: bigint;
  sqrtPriceX96: bigint;
  liquidity: bigint;
  tick: number;
}

export interface MintEventRecord extends PoolEventRecordBase {
  method: "MINT";
  sender: Address;
  owner: Address;
  tickLower: number;
  tickUpper: number;
  amount: bigint;
  amount0: bigint;
  amount1: bigint;
}

/**
 * Caution: in events_16944669_16951788.json every Burn's `amount0` repeats its liquidity `amount` (a defect of
 * the recording: 6.2e15 "satoshis" of WBTC for one burn); `amount` and `amount1` are sound.
 */
export interface BurnEventRecord extends PoolEventRecordBase {
  method: "BURN";
  owner: Address;
  tickLower: number;
  tickUpper: number;
  amount: bigint;
  amount0: bigint;
  amount1: bigint;
}

export type PoolEventRecord = SwapEventRecord | MintEventRecord | BurnEventRecord;

export interface PoolEventsFile {
  path: string;
  poolAddress: Address;
  startBlock: bigint;
  endBlock: bigint;
  /** In chain order, as recorded. */
  events: PoolEventRecord[];
}

const MIN_TICK = -887272;
const MAX_TICK = 887272;

/** Reads a `pool_state_block<N>.json` file. Throws PoolStateFileError naming the file and field on bad input. */
export function readPoolStateFile(path: string): PoolStateFile {
  const file = fieldsOf(path, parseFile(path), "");
  const data = file.fields("data");
  const tickSpacing = data.int("tickSpacing", 1, 16_384);
  const slot0 = data.fields("slot0");
  const protocolFees = data.fields("protocolFees");
  const tickMap = data.fields("ticks");

  const ticks = new Map<number, TickRecord>();
  const tickKeys = tickMap.keys().map((key) => {
    const tick = Number(key);
    if (!/^-?\d+$/.test(key) || tick < MIN_TICK || tick > MAX_TICK || tick % tickSpacing !== 0) {
      throw new PoolStateFileError(
        path,
        `data.ticks["${key}"]`,
        `keyed by a tick that is a multiple of ${tickSpacing}`,
        key,
      );
    }
    return [key, tick] as const;
  });
  for (const [key, tick] of tickKeys.sort((a, b) => a[1] - b[1])) {
    const info = tickMap.fields(key);
    ticks.set(tick, {
      liquidityGross: info.uint("liquidityGross", 128),
      liquidityNet: info.sint("liquidityNet", 128),
      feeGrowthOutside0X128: info.uint("feeGrowthOutside0X128", 256),
      feeGrowthOutside1X128: info.uint("feeGrowthOutside1X128", 256),
      tickCumulativeOutside: info.sint("tickCumulativeOutside", 56),
      secondsPerLiquidityOutsideX128: info.uint("secondsPerLiquidityOutsideX128", 160),
      secondsOutside: Number(info.uint("secondsOutside", 32)),
      initialized: info.bool("initialized"),
    });
  }

  const positionMap = data.fields("positions");
  const positions = positionMap.keys().map((key) => {
    const info = positionMap.fields(key);
    return {
      ...parsePositionKey(path, key, tickSpacing),
      liquidity: info.uint("liquidity", 128),
      feeGrowthInside0LastX128: info.uint("feeGrowthInside0LastX128", 256),
      feeGrowthInside1LastX128: info.uint("feeGrowthInside1LastX128", 256),
      tokensOwed0: info.uint("tokensOwed0", 128),
      tokensOwed1: info.uint("tokensOwed1", 128),
    };
  });

  const observations = data.list("observations").map((o) => ({
    blockTimestamp: Number(o.uint("blockTimestamp", 32)),
    tickCumulative: o.sint("tickCumulative", 56),
    secondsPerLiquidityCumulativeX128: o.uint("secondsPerLiquidityCumulativeX128", 160),
    initialized: o.bool("initialized"),
  }));

  return {
    path,
    poolAddress: file.address("poolAddress"),
    block: file.uint("block", 64),
    token0: data.address("token0"),
    token1: data.address("token1"),
    fee: data.int("fee", 0, 999_999),
    tickSpacing,
    maxLiquidityPerTick: data.uint("maxLiquidityPerTick", 128),
    feeGrowthGlobal0X128: data.uint("feeGrowthGlobal0X128", 256),
    feeGrowthGlobal1X128: data.uint("feeGrowthGlobal1X128", 256),
    protocolFees: { token0: protocolFees.uint("token0", 128), token1: protocolFees.uint("token1", 128) },
    liquidity: data.uint("liquidity", 128),
    slot0: {
      sqrtPriceX96: slot0.uint("sqrtPriceX96", 160),
      tick: slot0.int("tick", MIN_TICK, MAX_TICK),
      observationIndex: slot0.int("observationIndex", 0, 65_534),
      observationCardinality: slot0.int("observationCardinality", 1, 65_535),
      feeProtocol: slot0.int("feeProtocol", 0, 255),
    },
    ...(data.has("balance0") ? { balance0: data.uint("balance0", 256) } : {}),
    ...(data.has("balance1") ? { balance1: data.uint("balance1", 256) } : {}),
    ticks,
    positions,
    observations,
  };
}

/** Reads an `events_<from>_<to>.json` file of Swap, Mint and Burn records. Throws PoolStateFileError on bad input. */
export function readPoolEventsFile(path: string): PoolEventsFile {
  const file = fieldsOf(path, parseFile(path), "");
  const events = file.list("data").map((e): PoolEventRecord => {
    const base = {
      blockNumber: e.uint("blockNo", 64),
      timestamp: Number(e.uint("timestamp", 32)),
      gasPrice: e.uint("gasPrice", 256),
      gasUsed: e.uint("gasUsed", 64),
    };
    const range = () => ({
      owner: e.address("owner"),
      tickLower: e.int("tickLower", MIN_TICK, MAX_TICK),
      tickUpper: e.int("tickUpper", MIN_TICK, MAX_TICK),
      amount: e.uint("amount", 128),
    });
    const method = e.string("method");
    switch (method) {
      case "SWAP":
        return {
          method,
          ...base,
          sender: e.address("sender"),
          recipient: e.address("recipient"),
          amount0: e.sint("amount0", 256),
          amount1: e.sint("amount1", 256),
          sqrtPriceX96: e.uint("sqrtPriceX96", 160),
          liquidity: e.uint("liquidity", 128),
          tick: e.int("tick", MIN_TICK, MAX_TICK),
        };
      case "MINT":
        return {
          method,
          ...base,
          sender: e.address("sender"),
          ...range(),
          amount0: e.uint("amount0", 256),
          amount1: e.uint("amount1", 256),
        };
      case "BURN":
        return {
          method,
          ...base,
          ...range(),
          amount0: e.uint("amount0", 256),
          amount1: e.uint("amount1", 256),
        };
      default:
        throw new PoolStateFileError(path, e.at("method"), `"SWAP", "MINT" or "BURN"`, method);
    }
  });
  return {
    path,
    poolAddress: file.address("poolAddress"),
    startBlock: file.uint("startBlock", 64),
    endBlock: file.uint("endBlock", 64),
    events,
  };
}

type JsonObject = Record<string, unknown>;

/** JSON.parse with every integer literal as a bigint taken from its source text (Node >= 21's reviver context). */
function parseFile(path: string): JsonObject {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PoolStateFileError(
      path,
      "the file",
      "readable",
      (error as NodeJS.ErrnoException).code ?? String(error),
    );
  }
  try {
    const parsed: unknown = JSON.parse(text, (_key, value: unknown, context?: { source?: string }) =>
      typeof value === "number" && context?.source !== undefined && /^-?\d+$/.test(context.source)
        ? BigInt(context.source)
        : value,
    );
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
      throw new Error("not an object");
    return parsed as JsonObject;
  } catch (error) {
    throw new PoolStateFileError(path, "the file", "a JSON object", (error as Error).message);
  }
}

/**
 * Position keys are the owner followed by tickLower and tickUpper in decimal, unseparated
 * ("0xC364…FE88" + "254700" + "260340"). The split is the one where both are multiples of the tick spacing,
 * in range and ordered; a key with no such split, or more than one, is an error.
 */
function parsePositionKey(path: string, key: string, tickSpacing: number) {
  const field = `data.positions["${key}"]`;
  const owner = key.slice(0, 42);
  const ticks = key.slice(42);
  if (!isAddress(owner, { strict: false }) || !/^-?\d+-?\d+$/.test(ticks)) {
    throw new PoolStateFileError(path, field, "keyed by owner address + tickLower + tickUpper", key);
  }
  const splits: [number, number][] = [];
  for (let i = 1; i < ticks.length; i++) {
    const [lower, upper] = [ticks.slice(0, i), ticks.slice(i)];
    if (!/^(0|-?[1-9]\d*)$/.test(lower) || !/^(0|-?[1-9]\d*)$/.test(upper)) continue;
    const [l, u] = [Number(lower), Number(upper)];
    if (l < u && l >= MIN_TICK && u <= MAX_TICK && l % tickSpacing === 0 && u % tickSpacing === 0)
      splits.push([l, u]);
  }
  if (splits.length !== 1) {
    throw new PoolStateFileError(
      path,
      field,
      `a key with exactly one valid tick split (found ${splits.length})`,
      key,
    );
  }
  return { owner: getAddress(owner), tickLower: splits[0]![0], tickUpper: splits[0]![1] };
}

interface Fields {
  /** The field's path for messages, e.g. `data.ticks["257760"].liquidityNet`. */
  at(key: string): string;
  has(key: string): boolean;
  keys(): string[];
  fields(key: string): Fields;
  list(key: string): Fields[];
  uint(key: string, bits: number): bigint;
  sint(key: string, bits: number): bigint;
  int(key: string, min: number, max: number): number;
  bool(key: string): boolean;
  string(key: string): string;
  address(key: string): Address;
}

/** Typed access to one parsed object's fields; every failure names the file and the field's path. */
function fieldsOf(path: string, object: JsonObject, prefix: string): Fields {
  const at = (key: string) =>
    prefix === "" ? key : /^[A-Za-z_]\w*$/.test(key) ? `${prefix}.${key}` : `${prefix}["${key}"]`;
  const fail = (field: string, expected: string, value: unknown): never => {
    throw new PoolStateFileError(path, field, expected, value);
  };
  const isObject = (value: unknown): value is JsonObject =>
    typeof value === "object" && value !== null && !Array.isArray(value);
  const integer = (key: string, min: bigint, max: bigint, expected: string): bigint => {
    const value = object[key];
    return typeof value === "bigint" && value >= min && value <= max ? value : fail(at(key), expected, value);
  };
  return {
    at,
    has: (key) => object[key] !== undefined,
    keys: () => Object.keys(object),
    fields: (key) => {
      const value = object[key];
      return isObject(value) ? fieldsOf(path, value, at(key)) : fail(at(key), "an object", value);
    },
    list: (key) => {
      const value = object[key];
      if (!Array.isArray(value)) return fail(at(key), "an array", value);
      return value.map((item: unknown, i) =>
        isObject(item)
          ? fieldsOf(path, item, `${at(key)}[${i}]`)
          : fail(`${at(key)}[${i}]`, "an object", item),
      );
    },
    uint: (key, bits) => integer(key, 0n, (1n << BigInt(bits)) - 1n, `an integer from 0 to 2^${bits} - 1`),
    sint: (key, bits) =>
      integer(key, -(1n << BigInt(bits - 1)), (1n << BigInt(bits - 1)) - 1n, `a signed ${bits}-bit integer`),
    int: (key, min, max) =>
      Number(integer(key, BigInt(min), BigInt(max), `an integer from ${min} to ${max}`)),
    bool: (key) => {
      const value = object[key];
      return typeof value === "boolean" ? value : fail(at(key), "true or false", value);
    },
    string: (key) => {
      const value = object[key];
      return typeof value === "string" ? value : fail(at(key), "a string", value);
    },
    address: (key) => {
      const value = object[key];
      return typeof value === "string" && isAddress(value, { strict: false })
        ? getAddress(value)
        : fail(at(key), "a 20-byte hex address", value);
    },
  };
}
