import { MAX_TICK } from "../uniswap/constants.js";
import { PoolSimulator } from "../uniswap/poolSimulator.js";
import { getSqrtRatioAtTick } from "../uniswap/tickMath.js";
import type { MinuteBarData } from "./loadBacktestData.js";
import type { MarketPath } from "./marketPath.js";

const OTHERS = "others";
const MOVE_AMOUNT = 1n << 120n;
// Two observations a minute are plenty; a few hours of them keep any TWAP window the vault allows.
const CARDINALITY = 300;

/**
 * The path of minute bars: a pool whose other liquidity is one full-range position resized each minute to the
 * bar's recorded active liquidity; each minute the price moves to the bar's close by a swap through the pool
 * (so the vault's ranges trade and lose to the move as they would), and the rest of the bar's fees, from its
 * gross inflows at the pool's fee, are paid into fee growth (as a flash's fee is), shared by the liquidity in
 * range at the close: the vault earns fee × volume × its share of the active liquidity when in range.
 */
export function minuteBarPath(data: MinuteBarData): MarketPath {
  const { bars, fee, tickSpacing } = data;
  const edge = Math.trunc(MAX_TICK / tickSpacing) * tickSpacing;
  const feeRate = BigInt(fee);
  return {
    kind: "minute-bars",
    timestamps: bars.map((bar) => bar.timestamp + 60),
    createPool() {
      const first = bars[0]!;
      const pool = PoolSimulator.initialize({
        fee,
        tickSpacing,
        sqrtPriceX96: getSqrtRatioAtTick(first.openTick),
        blockTimestamp: first.timestamp,
      });
      pool.increaseObservationCardinalityNext(CARDINALITY);
      if (first.currentLiquidity > 0n)
        pool.mint({ owner: OTHERS, tickLower: -edge, tickUpper: edge, amount: first.currentLiquidity });
      return pool;
    },
    applyStep(pool, index) {
      const bar = bars[index]!;
      pool.setTime(bar.timestamp + 60);
      const others = pool.position(OTHERS, -edge, edge).liquidity;
      const range = { owner: OTHERS, tickLower: -edge, tickUpper: edge };
      if (bar.currentLiquidity > others) pool.mint({ ...range, amount: bar.currentLiquidity - others });
      else if (bar.currentLiquidity < others) pool.burn({ ...range, amount: others - bar.currentLiquidity });

      let [paid0, paid1] = [0n, 0n];
      const target = getSqrtRatioAtTick(bar.closeTick);
      if (target !== pool.sqrtPriceX96 && pool.liquidity > 0n) {
        const zeroForOne = target < pool.sqrtPriceX96;
        const move = pool.swap({ zeroForOne, amountSpecified: MOVE_AMOUNT, sqrtPriceLimitX96: target });
        if (zeroForOne) paid0 = move.feeAmount;
        else paid1 = move.feeAmount;
      }
      const fees0 = (bar.inAmount0 * feeRate) / 1_000_000n - paid0;
      const fees1 = (bar.inAmount1 * feeRate) / 1_000_000n - paid1;
      if (pool.liquidity > 0n && (fees0 > 0n || fees1 > 0n))
        pool.flash({
          amount0: 0n,
          amount1: 0n,
          paid0: fees0 > 0n ? fees0 : 0n,
          paid1: fees1 > 0n ? fees1 : 0n,
        });
    },
    assumptions: [
      "Minute bars: fees are attributed per bar from its gross inflows at the pool's fee rate and paid to the liquidity in range at the bar's close, in proportion to it (the vault's share = its liquidity / the recorded active liquidity plus its own); a bar's intra-minute path (high, low) is not traded.",
      "The other LPs' liquidity is one full-range position resized each minute to the recorded active liquidity, so price impact of the vault's own swaps is approximate; the price moves close to close through the pool, so the vault's IL and LVR are exact for that path.",
    ],
  };
}
