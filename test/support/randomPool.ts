import { Token } from "@uniswap/sdk-core";
import { Pool, Tick, TickMath } from "@uniswap/v3-sdk";

import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import type { Random } from "./random.js";

export const TICK_SPACING_OF_FEE: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10000: 200 };

/** Two 18-decimal tokens in pool order; only their addresses matter to the SDK's swap math. */
export const TOKEN0 = new Token(1, "0x1000000000000000000000000000000000000001", 18, "T0");
export const TOKEN1 = new Token(1, "0x2000000000000000000000000000000000000002", 18, "T1");

/**
 * A simulated pool at a price near `startTick` with `positions` random ranges: most within `width` ticks of
 * the price (so swaps cross many initialised ticks and, with tick spacing 1, several 256-tick words), some
 * wide and one full-range so the price can always move.
 */
export function randomPool(
  random: Random,
  {
    fee,
    positions,
    width,
    startTick = random.int(-50_000, 50_000),
  }: { fee: number; positions: number; width: number; startTick?: number },
): PoolSimulator {
  const tickSpacing = TICK_SPACING_OF_FEE[fee]!;
  const pool = PoolSimulator.initialize({
    fee,
    tickSpacing,
    sqrtPriceX96: getSqrtRatioAtTick(startTick) + random.bits(40),
    blockTimestamp: 1_700_000_000,
  });
  const align = (tick: number) => Math.round(tick / tickSpacing) * tickSpacing;
  const minUsable = Math.ceil(TickMath.MIN_TICK / tickSpacing) * tickSpacing;
  const maxUsable = Math.floor(TickMath.MAX_TICK / tickSpacing) * tickSpacing;
  pool.mint({ owner: "0xf0", tickLower: minUsable, tickUpper: maxUsable, amount: 10n ** 18n });
  for (let i = 0; i < positions; i++) {
    const span = random.bool(0.8) ? width : width * 20;
    const a = align(startTick + random.int(-span, span));
    const b = align(startTick + random.int(-span, span));
    if (a === b) continue;
    pool.mint({
      owner: `0xf${i % 4}`,
      tickLower: Math.max(Math.min(a, b), minUsable),
      tickUpper: Math.min(Math.max(a, b), maxUsable),
      amount: random.logUniform(10n ** 15n, 10n ** 21n),
    });
  }
  return pool;
}

/** The SDK's view of the same pool: price, tick, liquidity and every initialised tick's liquidity. */
export function sdkPoolOf(pool: PoolSimulator): Pool {
  const ticks = pool.initializedTicks().map((index) => {
    const state = pool.tickState(index)!;
    return new Tick({
      index,
      liquidityGross: state.liquidityGross.toString(),
      liquidityNet: state.liquidityNet.toString(),
    });
  });
  return new Pool(
    TOKEN0,
    TOKEN1,
    pool.fee,
    pool.sqrtPriceX96.toString(),
    pool.liquidity.toString(),
    pool.tick,
    ticks,
  );
}
