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
}

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
 * Reads any number of contracts at one block in a single `eth_call` to Multicall3's aggregate3, each call
 * allowed to fail on its own. The request count is one whatever the number of contracts; the encoding is
 * done here rather than by viem's multicall, whose chunking and repeated array copies cost time at
 * thousands of calls.
 */
export async function readContractsAtBlock(
  client: PublicClient,
  { contracts, blockHash, multicallAddress = MAINNET.multicall3 }: ReadContractsAtBlockParameters,
): Promise<ContractReadResult[]> {
  const calls = contracts.map((c) => ({
    target: c.address,
    allowFailure: true,
    callData: encodeFunctionData({ abi: c.abi, functionName: c.functionName, args: c.args ?? [] } as never),
  }));
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
