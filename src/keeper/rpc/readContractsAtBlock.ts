import {
  decodeFunctionResult,
  encodeFunctionData,
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
    const callData = encodeFunctionData({
      abi: c.abi,
      functionName: c.functionName,
      args: c.args ?? [],
    } as never);
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
      data: encodeFunctionData({ abi: multicall3Abi, functionName: "aggregate3", args: [calls] }),
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
