import type { PoolEventsFile } from "../data/poolStateFile.js";
import type { PoolEvent } from "./poolEvent.js";

/**
 * The recorded events of an `events_*.json` file as the simulator's pool events, in chain order. The files
 * carry no log indices or transaction hashes: events are numbered within their block, hashes are null.
 */
export function poolEventsFromFile(file: PoolEventsFile): PoolEvent[] {
  let block = -1n;
  let logIndex = 0;
  return file.events.map((record) => {
    logIndex = record.blockNumber === block ? logIndex + 1 : 0;
    block = record.blockNumber;
    const location = {
      blockNumber: record.blockNumber,
      logIndex,
      transactionHash: null,
      timestamp: record.timestamp,
    };
    switch (record.method) {
      case "SWAP":
        return {
          ...location,
          type: "swap",
          sender: record.sender,
          recipient: record.recipient,
          amount0: record.amount0,
          amount1: record.amount1,
          sqrtPriceX96: record.sqrtPriceX96,
          liquidity: record.liquidity,
          tick: record.tick,
        };
      case "MINT":
        return {
          ...location,
          type: "mint",
          sender: record.sender,
          owner: record.owner,
          tickLower: record.tickLower,
          tickUpper: record.tickUpper,
          amount: record.amount,
          amount0: record.amount0,
          amount1: record.amount1,
        };
      case "BURN":
        return {
          ...location,
          type: "burn",
          owner: record.owner,
          tickLower: record.tickLower,
          tickUpper: record.tickUpper,
          amount: record.amount,
          amount0: record.amount0,
          amount1: record.amount1,
        };
    }
  });
}
