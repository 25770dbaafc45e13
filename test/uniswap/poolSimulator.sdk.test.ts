import { CurrencyAmount } from "@uniswap/sdk-core";
import { Position } from "@uniswap/v3-sdk";
import { expect } from "chai";
import JSBI from "jsbi";

import { MAX_SQRT_RATIO, MIN_SQRT_RATIO } from "../../src/uniswap/constants.js";
import { PoolRevertError } from "../../src/uniswap/errors.js";
import { getAmountsForLiquidity } from "../../src/uniswap/liquidityAmounts.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import { Random } from "../support/random.js";
import { randomPool, sdkPoolOf, TOKEN0, TOKEN1 } from "../support/randomPool.js";

describe("pool simulator against @uniswap/v3-sdk's Pool", function () {
  const SWAPS_PER_POOL = 250;

  for (const fee of [100, 500, 3000, 10000]) {
    it(`fee ${fee}: ${SWAPS_PER_POOL} random swaps (exact in/out, with and without limits) give the SDK's amounts and state`, async function () {
      const random = new Random(100 + fee);
      const width = fee === 100 ? 1500 : fee === 500 ? 3000 : 12000;
      const startTick = random.int(-50_000, 50_000);
      const pool = randomPool(random, { fee, positions: 60, width, startTick });
      let sdkPool = sdkPoolOf(pool);
      let crossings = 0;
      let limited = 0;
      let refused = 0;
      for (let i = 0; i < SWAPS_PER_POOL; i++) {
        // Lean back toward the liquidity when a run of swaps has carried the price far out of it.
        const drift = (pool.tick - startTick) / (width * 4);
        const zeroForOne = random.bool(Math.min(Math.max(0.5 + drift, 0.05), 0.95));
        const exactInput = random.bool();
        const amount = random.bool()
          ? random.logUniform(1n, 10n ** 20n)
          : random.logUniform(10n ** 18n, 10n ** 21n);
        let limit: bigint | undefined;
        if (random.bool(0.3)) {
          const moved =
            (pool.sqrtPriceX96 * BigInt(zeroForOne ? random.int(900, 999) : random.int(1001, 1100))) / 1000n;
          if (moved > MIN_SQRT_RATIO && moved < MAX_SQRT_RATIO) limit = moved;
        }
        const label = `swap ${i}: ${zeroForOne ? "0→1" : "1→0"} ${exactInput ? "in" : "out"} ${amount} limit ${limit}`;
        const sdkSwap = exactInput
          ? sdkPool.getOutputAmount(
              CurrencyAmount.fromRawAmount(zeroForOne ? TOKEN0 : TOKEN1, amount.toString()),
              limit === undefined ? undefined : JSBI.BigInt(limit.toString()),
            )
          : sdkPool.getInputAmount(
              CurrencyAmount.fromRawAmount(zeroForOne ? TOKEN1 : TOKEN0, amount.toString()),
              limit === undefined ? undefined : JSBI.BigInt(limit.toString()),
            );
        const parameters = {
          zeroForOne,
          amountSpecified: exactInput ? amount : -amount,
          sqrtPriceLimitX96: limit,
        };
        const sdkOutcome = await sdkSwap.catch((error: Error) => error);
        if (sdkOutcome instanceof Error) {
          // A swap that ran the price to its bound leaves nothing to trade that way: both refuse.
          expect(sdkOutcome.message, label).to.match(/RATIO_(CURRENT|MIN|MAX)/);
          expect(() => pool.swap(parameters), label)
            .to.throw(PoolRevertError)
            .with.property("reason", "SPL");
          refused++;
          continue;
        }
        const [sdkAmount, sdkAfter] = sdkOutcome;
        const result = pool.swap(parameters);
        const calculated = zeroForOne === exactInput ? result.amount1 : result.amount0;
        expect(exactInput ? -calculated : calculated, label).to.equal(BigInt(sdkAmount.quotient.toString()));
        expect(result.sqrtPriceX96, label).to.equal(BigInt(sdkAfter.sqrtRatioX96.toString()));
        expect(result.tick, label).to.equal(sdkAfter.tickCurrent);
        expect(result.liquidity, label).to.equal(BigInt(sdkAfter.liquidity.toString()));
        crossings += result.ticksCrossed;
        if (limit !== undefined && result.sqrtPriceX96 === limit) limited++;
        sdkPool = sdkAfter;
      }
      expect(crossings, "initialised ticks crossed").to.be.greaterThan(SWAPS_PER_POOL);
      expect(limited, "swaps stopped by their price limit").to.be.greaterThan(5);
      expect(refused, "swaps refused at a price bound").to.be.below(SWAPS_PER_POOL / 10);
    });
  }

  it("mints cost what the SDK's Position.mintAmounts says, and positions hold its amount0/amount1", function () {
    const random = new Random(7);
    for (let i = 0; i < 300; i++) {
      const fee = random.pick([500, 3000, 10000]);
      const pool = randomPool(random, { fee, positions: 3, width: 5000 });
      const spacing = pool.tickSpacing;
      const lower = Math.round((pool.tick + random.int(-8000, 4000)) / spacing) * spacing;
      const upper = lower + spacing * random.int(1, 200);
      const liquidity = random.logUniform(1n, 10n ** 24n);
      const position = new Position({
        pool: sdkPoolOf(pool),
        tickLower: lower,
        tickUpper: upper,
        liquidity: liquidity.toString(),
      });
      const label = `${fee} [${lower}, ${upper}] ${liquidity}`;
      const held = getAmountsForLiquidity(
        pool.sqrtPriceX96,
        getSqrtRatioAtTick(lower),
        getSqrtRatioAtTick(upper),
        liquidity,
      );
      expect(held.amount0, label).to.equal(BigInt(position.amount0.quotient.toString()));
      expect(held.amount1, label).to.equal(BigInt(position.amount1.quotient.toString()));
      const paid = pool.mint({ owner: "0xabc", tickLower: lower, tickUpper: upper, amount: liquidity });
      expect([paid.amount0, paid.amount1], label).to.deep.equal([
        BigInt(position.mintAmounts.amount0.toString()),
        BigInt(position.mintAmounts.amount1.toString()),
      ]);
      const returned = pool.burn({ owner: "0xabc", tickLower: lower, tickUpper: upper, amount: liquidity });
      expect([returned.amount0, returned.amount1], label).to.deep.equal([held.amount0, held.amount1]);
    }
  });
});
