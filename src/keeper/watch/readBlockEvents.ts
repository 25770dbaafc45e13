import { getAddress, type AbiEvent, type Address, type Hash, type PublicClient } from "viem";

import { uniswapV3PoolAbi } from "../../chain/abi/uniswap.js";

const POOL_EVENTS = uniswapV3PoolAbi.filter(
  (
    item,
  ): item is Extract<(typeof uniswapV3PoolAbi)[number], { type: "event"; name: "Swap" | "Mint" | "Burn" }> =>
    item.type === "event" && (item.name === "Swap" || item.name === "Mint" || item.name === "Burn"),
);

/** A pool's Swap, Mint or Burn, decoded; amounts as the pool emits them. */
export type PoolEvent =
  | {
      type: "Swap";
      pool: Address;
      logIndex: number;
      txHash: Hash;
      amount0: bigint;
      amount1: bigint;
      sqrtPriceX96: bigint;
      liquidity: bigint;
      tick: number;
    }
  | {
      type: "Mint" | "Burn";
      pool: Address;
      logIndex: number;
      txHash: Hash;
      owner: Address;
      tickLower: number;
      tickUpper: number;
      amount: bigint;
      amount0: bigint;
      amount1: bigint;
    };

/** An event of another watched contract (a vault), decoded with the ABI it was asked for. */
export interface ContractEvent {
  address: Address;
  eventName: string;
  args: Record<string, unknown>;
  logIndex: number;
  txHash: Hash;
}

export interface ReadBlockEventsParameters {
  pools: readonly Address[];
  /** Further contracts whose `events` are read in the same request (e.g. every vault). */
  contracts?: readonly Address[];
  events?: readonly AbiEvent[];
  /** One block, by hash, so the events belong to exactly the block whose state is read. */
  blockHash: Hash;
}

export interface BlockEvents {
  pools: PoolEvent[];
  contracts: ContractEvent[];
}

/**
 * Swap, Mint and Burn events of any number of pools, and chosen events of any number of other contracts,
 * in one block, in one `eth_getLogs` request (the address list and the union of the topics as its filter).
 */
export async function readBlockEvents(
  client: PublicClient,
  { pools, contracts = [], events = [], blockHash }: ReadBlockEventsParameters,
): Promise<BlockEvents> {
  if (pools.length === 0 && contracts.length === 0) return { pools: [], contracts: [] };
  const poolSet = new Set(pools);
  const contractSet = new Set(contracts);
  const logs = await client.getLogs({
    address: [...pools, ...contracts],
    events: [...POOL_EVENTS, ...events],
    blockHash,
    strict: true,
  });
  const out: BlockEvents = { pools: [], contracts: [] };
  for (const log of logs as unknown as DecodedLog[]) {
    const address = getAddress(log.address);
    const base = { logIndex: log.logIndex, txHash: log.transactionHash };
    const { eventName, args } = log;
    if (poolSet.has(address)) {
      if (eventName === "Swap") {
        const { amount0, amount1, sqrtPriceX96, liquidity, tick } = args as PoolArgs<"Swap">;
        out.pools.push({
          type: "Swap",
          pool: address,
          ...base,
          amount0,
          amount1,
          sqrtPriceX96,
          liquidity,
          tick,
        });
      } else if (eventName === "Mint" || eventName === "Burn") {
        const { owner, tickLower, tickUpper, amount, amount0, amount1 } = args as PoolArgs<"Mint">;
        out.pools.push({
          type: eventName,
          pool: address,
          ...base,
          owner,
          tickLower,
          tickUpper,
          amount,
          amount0,
          amount1,
        });
      }
    } else if (contractSet.has(address)) {
      out.contracts.push({ address, eventName, args, ...base });
    }
  }
  return out;
}

interface DecodedLog {
  address: Address;
  eventName: string;
  args: Record<string, unknown>;
  logIndex: number;
  transactionHash: Hash;
}

type PoolArgs<Name extends "Swap" | "Mint"> = Extract<
  PoolEvent,
  { type: Name extends "Swap" ? "Swap" : "Mint" }
>;
