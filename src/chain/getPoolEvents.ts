import type { Address, PublicClient } from "viem";

import { decodePoolLog } from "../uniswap/decodePoolLog.js";
import type { PoolEvent } from "../uniswap/poolEvent.js";

export interface GetPoolEventsParameters {
  pool: Address;
  fromBlock: bigint;
  toBlock: bigint;
}

/**
 * The pool's Swap, Mint, Burn, Collect and Flash events over a block range, decoded with viem, in chain
 * order and with each block's timestamp (the oracle needs it), ready for replayPoolEvents.
 */
export async function getPoolEvents(
  client: PublicClient,
  { pool, fromBlock, toBlock }: GetPoolEventsParameters,
): Promise<PoolEvent[]> {
  const logs = await client.getLogs({ address: pool, fromBlock, toBlock });
  const blocks = [...new Set(logs.map((log) => log.blockNumber))];
  const timestamps = new Map(
    await Promise.all(
      blocks.map(
        async (blockNumber) =>
          [blockNumber, Number((await client.getBlock({ blockNumber })).timestamp)] as const,
      ),
    ),
  );
  const events: PoolEvent[] = [];
  for (const log of logs) {
    const event = decodePoolLog({
      topics: log.topics,
      data: log.data,
      blockNumber: log.blockNumber,
      logIndex: log.logIndex,
      transactionHash: log.transactionHash,
      timestamp: timestamps.get(log.blockNumber)!,
    });
    if (event !== null) events.push(event);
  }
  return events;
}
