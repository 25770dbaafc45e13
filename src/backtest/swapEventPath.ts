import { PoolRevertError } from "../uniswap/errors.js";
import type { PoolEvent } from "../uniswap/poolEvent.js";
import { PoolSimulator, type SwapParameters } from "../uniswap/poolSimulator.js";
import { reconstructPoolState } from "../uniswap/reconstructPoolState.js";
import { replayPoolEvents } from "../uniswap/replayPoolEvents.js";
import type { SwapEventData } from "./loadBacktestData.js";
import type { MarketPath } from "./marketPath.js";
import { BacktestInputError } from "./errors.js";

type Operation =
  | { type: "swap"; parameters: SwapParameters }
  | { type: "mint"; owner: string; tickLower: number; tickUpper: number; amount: bigint }
  | { type: "burn"; owner: string; tickLower: number; tickUpper: number; amount: bigint }
  | { type: "flash"; amount0: bigint; amount1: bigint; paid0: bigint; paid1: bigint };

interface Block {
  timestamp: number;
  operations: Operation[];
  /** The recorded pool's price after the block. */
  sqrtPriceX96: bigint;
}

// Enough observations for a TWAP window of an hour at one block per 12 s.
const CARDINALITY = 300;
const ALIGN_AMOUNT = 1n << 120n;

/**
 * The swap-by-swap path of recorded events: the starting state rebuilt from the events (reconstructPoolState),
 * a reference replay that checks every event and hands each trade, in the reading that reproduced it, to the
 * steps (one per block). A run's pool, holding the vault's ranges too, trades the same flow, so the vault
 * takes its share of every swap with exact fees and price impact; after each block an arbitrage swap brings
 * its price back to the recorded one, as arbitrageurs keep the pool at the market price.
 */
export function swapEventPath(data: SwapEventData): MarketPath {
  const { state } = reconstructPoolState({
    events: data.events,
    fee: data.fee,
    tickSpacing: data.tickSpacing,
  });
  const reference = new PoolSimulator(state);
  const blocks: Block[] = [];
  let current: Block | null = null;
  const report = replayPoolEvents(reference, data.events, {
    onApplied(event: PoolEvent, _index, swap) {
      if (current === null || event.timestamp !== current.timestamp) {
        current = { timestamp: event.timestamp!, operations: [], sqrtPriceX96: 0n };
        blocks.push(current);
      }
      if (swap !== null) current.operations.push({ type: "swap", parameters: swap });
      else if (event.type === "mint" || event.type === "burn")
        current.operations.push({
          type: event.type as "mint",
          owner: event.owner,
          tickLower: event.tickLower,
          tickUpper: event.tickUpper,
          amount: event.amount,
        });
      else if (event.type === "flash")
        current.operations.push({
          type: "flash",
          amount0: event.amount0,
          amount1: event.amount1,
          paid0: event.paid0,
          paid1: event.paid1,
        });
      current.sqrtPriceX96 = reference.sqrtPriceX96;
    },
  });
  if (report.divergence !== null)
    throw new BacktestInputError(
      "data",
      `the recorded events of ${data.source} do not replay from their rebuilt state: ${report.divergence.message}`,
    );
  return {
    kind: "swaps",
    timestamps: blocks.map((b) => b.timestamp),
    sqrtPrices: blocks.map((b) => b.sqrtPriceX96),
    createPool() {
      const pool = new PoolSimulator(state);
      pool.increaseObservationCardinalityNext(CARDINALITY);
      return pool;
    },
    applyStep(pool, index) {
      const block = blocks[index]!;
      pool.setTime(block.timestamp);
      for (const op of block.operations) {
        if (op.type === "swap") {
          try {
            pool.swap(op.parameters);
          } catch (error) {
            // The trader's price limit is already passed in this pool: no trade, as on chain.
            if (!(error instanceof PoolRevertError)) throw error;
          }
        } else if (op.type === "mint") pool.mint(op);
        else if (op.type === "burn") {
          const held = pool.position(op.owner, op.tickLower, op.tickUpper).liquidity;
          // A poke of a position from before the start only settles fees nobody here can know.
          if (held === 0n && op.amount === 0n) continue;
          if (held < op.amount) pool.trackExistingPosition({ ...op, amount: op.amount - held });
          pool.burn(op);
        } else pool.flash(op);
      }
      if (pool.sqrtPriceX96 !== block.sqrtPriceX96) {
        const zeroForOne = block.sqrtPriceX96 < pool.sqrtPriceX96;
        pool.swap({ zeroForOne, amountSpecified: ALIGN_AMOUNT, sqrtPriceLimitX96: block.sqrtPriceX96 });
      }
    },
    assumptions: [
      "Swap by swap: the starting state is rebuilt from the day's own events; every recorded trade is replayed in the reading that reproduced it, against a pool that also holds the vault's ranges (fees and price impact exact).",
      "After each block an arbitrage swap brings the pool back to the recorded price (the vault's liquidity would otherwise slow the price down); the vault earns fees on it and loses to it like any LP.",
      "Others' mints and burns are replayed; their liquidity from before the start is known only where the day's swaps revealed it.",
    ],
  };
}
