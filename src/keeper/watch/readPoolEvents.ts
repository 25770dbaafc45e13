import { getAddress, type Address, type Hash, type PublicClient } from "viem";

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

export interface ReadPoolEventsParameters {
  pools: readonly Address[];
  /** One block, by hash, so the events belong to exactly the block whose state is read. */
  blockHash: Hash;
}

/** Swap, Mint and Burn events of any number of pools in one block, in one `eth_getLogs` request. */
export async function readPoolEvents(
  client: PublicClient,
  { pools, blockHash }: ReadPoolEventsParameters,
): Promise<PoolEvent[]> {
  if (pools.length === 0) return [];
  const logs = await client.getLogs({ address: [...pools], events: POOL_EVENTS, blockHash, strict: true });
  return logs.map((log): PoolEvent => {
    const base = { pool: getAddress(log.address), logIndex: log.logIndex, txHash: log.transactionHash };
    if (log.eventName === "Swap") {
      const { amount0, amount1, sqrtPriceX96, liquidity, tick } = log.args;
      return { type: "Swap", ...base, amount0, amount1, sqrtPriceX96, liquidity, tick };
    }
    const { owner, tickLower, tickUpper, amount, amount0, amount1 } = log.args;
    return { type: log.eventName, ...base, owner, tickLower, tickUpper, amount, amount0, amount1 };
  });
}
