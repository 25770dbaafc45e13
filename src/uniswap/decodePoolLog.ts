import { decodeEventLog, type Hex } from "viem";

import { uniswapV3PoolAbi } from "../chain/abi/uniswap.js";
import type { PoolEvent, PoolEventLocation } from "./poolEvent.js";

export interface RawPoolLog {
  topics: readonly Hex[];
  data: Hex;
  blockNumber: bigint;
  logIndex: number;
  transactionHash?: Hex | null;
  timestamp?: number | null;
}

export class PoolLogDecodeError extends Error {
  constructor(log: RawPoolLog, reason: string) {
    super(`log ${log.logIndex} of block ${log.blockNumber} is not a Uniswap v3 pool event: ${reason}`);
    this.name = "PoolLogDecodeError";
  }
}

/**
 * Decodes one pool log with viem against the v3-core pool ABI. Swap, Mint, Burn, Collect and Flash come back
 * as PoolEvents; the pool's other events (Initialize, IncreaseObservationCardinalityNext, SetFeeProtocol,
 * CollectProtocol) as null, since they do not move liquidity, price or fee growth. Anything else throws.
 */
export function decodePoolLog(log: RawPoolLog): PoolEvent | null {
  if (log.topics.length === 0) throw new PoolLogDecodeError(log, "it has no topics");
  let decoded;
  try {
    decoded = decodeEventLog({
      abi: uniswapV3PoolAbi,
      topics: log.topics as [Hex, ...Hex[]],
      data: log.data,
    });
  } catch (error) {
    throw new PoolLogDecodeError(log, (error as Error).message.split("\n")[0]!);
  }
  const at: PoolEventLocation = {
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash ?? null,
    timestamp: log.timestamp ?? null,
  };
  switch (decoded.eventName) {
    case "Swap":
      return { type: "swap", ...at, ...decoded.args };
    case "Mint":
      return { type: "mint", ...at, ...decoded.args };
    case "Burn":
      return { type: "burn", ...at, ...decoded.args };
    case "Collect":
      return { type: "collect", ...at, ...decoded.args };
    case "Flash":
      return { type: "flash", ...at, ...decoded.args };
    default:
      return null;
  }
}
