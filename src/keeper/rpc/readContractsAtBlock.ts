import {
  decodeFunctionResult,
  encodeFunctionData,
  InvalidAddressError,
  isAddress,
  multicall3Abi,
  type Abi,
  type Address,
  type Hash,
  type Hex,
  type PublicClient,
} from "viem";

import { MAINNET } from "../../chain/addresses.js";

/** One view call: the same shape as viem's readContract parameters. */
export interface ContractRead {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  /** Gas the call may use inside the batch (cold reads included), to keep one eth_call under the node's cap. */
  gas?: number;
}

/** Gas assumed for a call that does not say (a few cold storage reads and their ABI coding). */
export const DEFAULT_READ_GAS = 30_000;
/**
 * EIP-7825's cap on one transaction's gas (Osaka), which Hardhat's chain applies to eth_call too; under
 * geth's own default eth_call cap (50M).
 */
export const DEFAULT_CALL_GAS_LIMIT = 2 ** 24;

export type ContractReadResult =
  { status: "success"; result: unknown } | { status: "failure"; error: string };

export interface ReadContractsAtBlockParameters {
  contracts: readonly ContractRead[];
  /**
   * The block whose state is read (EIP-1898, with requireCanonical): a block reorganised away fails instead
   * of serving its orphaned state.
   */
  blockHash: Hash;
  multicallAddress?: Address;
  /**
   * Most gas one eth_call may use (the node's eth_call gas cap): calls whose summed `gas` would exceed it go in
   * further eth_calls, sent together. Default 2^24 (EIP-7825).
   */
  callGasLimit?: number;
}

export class ReadBlockStateError extends Error {
  constructor(blockHash: Hash, cause: unknown) {
    super(
      `Reading state at block ${blockHash} through Multicall3 failed; the block is retried on the next poll`,
      { cause },
    );
    this.name = "ReadBlockStateError";
  }
}

/**
 * Reads any number of contracts at one block through Multicall3's aggregate3, each call allowed to fail on
 * its own and identical calls made once: one `eth_call` for as many calls as fit under `callGasLimit` (by
 * their `gas` estimates), so one request whatever the number of contracts until their gas needs another.
 * The encoding is done here rather than by viem's multicall, whose chunking and repeated array copies cost
 * time at thousands of calls.
 */
export async function readContractsAtBlock(
  client: PublicClient,
  {
    contracts,
    blockHash,
    multicallAddress = MAINNET.multicall3,
    callGasLimit = DEFAULT_CALL_GAS_LIMIT,
  }: ReadContractsAtBlockParameters,
): Promise<ContractReadResult[]> {
  // The same call asked for twice (two vaults on one pool reading its oracle or a shared tick) is made once.
  const unique: { read: ContractRead; callData: Hex }[] = [];
  const byKey = new Map<string, number>();
  const slots = contracts.map((c) => {
    const callData = callDataOf(c);
    const key = `${c.address.toLowerCase()}:${callData}`;
    let slot = byKey.get(key);
    if (slot === undefined) {
      slot = unique.push({ read: c, callData }) - 1;
      byKey.set(key, slot);
    }
    return slot;
  });
  const batches: (typeof unique)[] = [[]];
  let gas = 0;
  for (const u of unique) {
    const need = u.read.gas ?? DEFAULT_READ_GAS;
    if (gas + need > callGasLimit && batches.at(-1)!.length > 0) {
      batches.push([]);
      gas = 0;
    }
    batches.at(-1)!.push(u);
    gas += need;
  }
  const results = (
    await Promise.all(batches.map((batch) => aggregateAtBlock(client, batch, blockHash, multicallAddress)))
  ).flat();
  return slots.map((slot) => results[slot]!);
}

async function aggregateAtBlock(
  client: PublicClient,
  batch: readonly { read: ContractRead; callData: Hex }[],
  blockHash: Hash,
  multicallAddress: Address,
): Promise<ContractReadResult[]> {
  const contracts = batch.map((b) => b.read);
  const calls = batch.map((b) => ({ target: b.read.address, allowFailure: true, callData: b.callData }));
  let data: Hex | undefined;
  try {
    ({ data } = await client.call({
      to: multicallAddress,
      data: encodeAggregate3(calls),
      blockHash,
      requireCanonical: true,
    } as never));
  } catch (error) {
    throw new ReadBlockStateError(blockHash, error);
  }
  if (data === undefined || data === "0x")
    throw new ReadBlockStateError(blockHash, new Error(`no code at Multicall3 ${multicallAddress}`));
  const results = decodeFunctionResult({ abi: multicall3Abi, functionName: "aggregate3", data });
  return results.map(({ success, returnData }, i): ContractReadResult => {
    const c = contracts[i]!;
    if (!success) return { status: "failure", error: `${c.functionName} on ${c.address} reverted` };
    try {
      return {
        status: "success",
        result: decodeFunctionResult({ abi: c.abi, functionName: c.functionName, data: returnData } as never),
      };
    } catch {
      return { status: "failure", error: `${c.functionName} on ${c.address} returned undecodable data` };
    }
  });
}

/**
 * Each ABI's call data by function and arguments: a keeper asks for the same reads (balances, a vault's state,
 * its positions and ticks) block after block. Arguments that are not plain values or arrays of them are
 * encoded each time; a table that grows past its bound (ranges come and go) starts again.
 */
const callDataCache = new WeakMap<Abi, Map<string, Hex>>();
const CALL_DATA_CACHE_SIZE = 20_000;

function callDataOf(c: ContractRead): Hex {
  const encode = () =>
    encodeFunctionData({ abi: c.abi, functionName: c.functionName, args: c.args ?? [] } as never);
  const argsKey = c.args === undefined ? "" : keyOf(c.args);
  if (argsKey === null) return encode();
  let byCall = callDataCache.get(c.abi);
  if (byCall === undefined) callDataCache.set(c.abi, (byCall = new Map()));
  const key = `${c.functionName}(${argsKey})`;
  let callData = byCall.get(key);
  if (callData === undefined) {
    callData = encode();
    if (byCall.size >= CALL_DATA_CACHE_SIZE) byCall.clear();
    byCall.set(key, callData);
  }
  return callData;
}

/** A key telling apart every list of strings, numbers, bigints, booleans and arrays of them; null for anything else. */
function keyOf(values: readonly unknown[]): string | null {
  let key = "";
  for (const value of values) {
    const type = typeof value;
    let part: string | null;
    if (type === "string" || type === "number" || type === "bigint" || type === "boolean")
      part = `${type}:${String(value)}`;
    else if (Array.isArray(value)) {
      const inner = keyOf(value);
      part = inner === null ? null : `[${inner}]`;
    } else part = null;
    if (part === null) return null;
    key += `${part.length}#${part}`;
  }
  return key;
}

const AGGREGATE3_SELECTOR = encodeFunctionData({
  abi: multicall3Abi,
  functionName: "aggregate3",
  args: [[]],
}).slice(0, 10);

const word = (n: number) => n.toString(16).padStart(64, "0");

/**
 * `aggregate3(calls)` call data, as viem's encodeFunctionData writes it, for thousands of calls at a time:
 * its generic encoder copies the growing text over and over, a large share of a block's CPU at 500 vaults.
 */
export function encodeAggregate3(
  calls: readonly { target: Address; allowFailure: boolean; callData: Hex }[],
): Hex {
  const heads: string[] = [];
  const tails: string[] = [];
  // Each (address, bool, bytes) tuple's offset, from the start of the offsets.
  let offset = calls.length * 32;
  for (const { target, allowFailure, callData } of calls) {
    if (!isAddress(target)) throw new InvalidAddressError({ address: target });
    const data = callData.length % 2 === 1 ? `0${callData.slice(2)}` : callData.slice(2);
    const size = data.length / 2;
    const padded = data.padEnd(Math.ceil(size / 32) * 64, "0");
    heads.push(word(offset));
    tails.push(
      `${target.slice(2).toLowerCase().padStart(64, "0")}${word(allowFailure ? 1 : 0)}${word(0x60)}${word(size)}${padded}`,
    );
    offset += 4 * 32 + padded.length / 2;
  }
  return `${AGGREGATE3_SELECTOR}${word(0x20)}${word(calls.length)}${heads.join("")}${tails.join("")}` as Hex;
}
