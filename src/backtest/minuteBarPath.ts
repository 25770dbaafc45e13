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
 * The path of minute bars: a pool whose other liquidity is one full-range position of the bars' median active
 * liquidity; each minute the price moves to the bar's close by a swap through the pool (so the vault's ranges
 * trade and lose to the move as they would), and the rest of the bar's fees, from its gross inflows at the
 * pool's fee, are paid into fee growth (as a flash's fee is), scaled so that the liquidity in range at the close
 * shares them as if the other liquidity were the bar's recorded one: the vault earns fee × volume × L_vault /
 * (L_recorded + L_vault) while in range.
 */
export function minuteBarPath(data: MinuteBarData): MarketPath {
  const { bars, fee, tickSpacing } = data;
  const edge = Math.trunc(MAX_TICK / tickSpacing) * tickSpacing;
  const feeRate = BigInt(fee);
  const sorted = bars.map((bar) => bar.currentLiquidity).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const others = sorted[Math.floor(sorted.length / 2)]!;
  return {
    kind: "minute-bars",
    timestamps: bars.map((bar) => bar.timestamp + 60),
    sqrtPrices: bars.map((bar) => getSqrtRatioAtTick(bar.closeTick)),
    createPool() {
      const first = bars[0]!;
      const pool = PoolSimulator.initialize({
        fee,
        tickSpacing,
        sqrtPriceX96: getSqrtRatioAtTick(first.openTick),
        blockTimestamp: first.timestamp,
      });
      pool.increaseObservationCardinalityNext(CARDINALITY);
      if (others > 0n) pool.mint({ owner: OTHERS, tickLower: -edge, tickUpper: edge, amount: others });
      return pool;
    },
    applyStep(pool, index) {
      const bar = bars[index]!;
      pool.setTime(bar.timestamp + 60);
      let [paid0, paid1] = [0n, 0n];
      const target = getSqrtRatioAtTick(bar.closeTick);
      if (target !== pool.sqrtPriceX96 && pool.liquidity > 0n) {
        const zeroForOne = target < pool.sqrtPriceX96;
        const move = pool.swap({ zeroForOne, amountSpecified: MOVE_AMOUNT, sqrtPriceLimitX96: target });
        if (zeroForOne) paid0 = move.feeAmount;
        else paid1 = move.feeAmount;
      }
      // The vault's share of the flash is its liquidity over the pool's active liquidity (others + vault); scaling
      // by active / (recorded + vault) makes it its share of the bar's recorded liquidity, net of the move's fee.
      const active = pool.liquidity;
      const share = active + bar.currentLiquidity - others;
      if (active === 0n || share <= 0n) return;
      const fees0 = (bar.inAmount0 * feeRate * active) / (1_000_000n * share) - paid0;
      const fees1 = (bar.inAmount1 * feeRate * active) / (1_000_000n * share) - paid1;
      if (fees0 > 0n || fees1 > 0n)
        pool.flash({
          amount0: 0n,
          amount1: 0n,
          paid0: fees0 > 0n ? fees0 : 0n,
          paid1: fees1 > 0n ? fees1 : 0n,
        });
    },
    assumptions: [
      "Minute bars: fees are attributed per bar from its gross inflows at the pool's fee rate and paid to the liquidity in range at the bar's close, in proportion to it (the vault's share = its liquidity / the recorded active liquidity plus its own); a bar's intra-minute path (high, low) is not traded.",
      "The other LPs' liquidity is one full-range position of the bars' median active liquidity, so the price impact of the vault's own swaps is approximate; the price moves close to close through the pool, so the vault's IL and LVR are exact for that path.",
    ],
  };
}
