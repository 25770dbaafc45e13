import { expect } from "chai";

import { BacktestInputError } from "../../src/backtest/errors.js";
import { pricePath } from "../../src/backtest/pricePath.js";
import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";

describe("pricePath", function () {
  const start = PoolSimulator.initialize({
    fee: 500,
    tickSpacing: 10,
    sqrtPriceX96: getSqrtRatioAtTick(200_000),
    blockTimestamp: 1_000,
  });
  start.mint({ owner: "lp", tickLower: 199_000, tickUpper: 201_000, amount: 10n ** 18n });
  const state = start.snapshot();

  it("moves the pool to each target with one swap and leaves it alone on a null step", function () {
    const targets = [null, getSqrtRatioAtTick(199_500), getSqrtRatioAtTick(200_700) + 12_345n, null];
    const path = pricePath({
      state,
      steps: targets.map((sqrtPriceX96, i) => ({ timestamp: 1_000 + 60 * i, sqrtPriceX96 })),
      source: "test",
    });
    const pool = path.createPool();
    const seen: bigint[] = [];
    for (let i = 0; i < targets.length; i++) {
      path.applyStep(pool, i);
      seen.push(pool.sqrtPriceX96);
    }
    expect(seen).to.deep.equal([state.sqrtPriceX96, targets[1], targets[2], targets[2]]);
    expect(path.sqrtPrices).to.deep.equal(seen);
    // The moves paid the pool's fee: both directions were traded.
    expect(pool.feeGrowthGlobal0X128 > 0n && pool.feeGrowthGlobal1X128 > 0n).to.equal(true);
  });

  it("refuses an empty path, times out of order and prices outside the pool's bounds, naming the step", function () {
    const refused = (steps: { timestamp: number; sqrtPriceX96: bigint | null }[]) => {
      try {
        pricePath({ state, steps, source: "test" });
      } catch (error) {
        expect(error).to.be.instanceOf(BacktestInputError);
        return (error as Error).message;
      }
      throw new Error("accepted");
    };
    expect(refused([])).to.match(/^steps: expected at least one step/);
    expect(
      refused([
        { timestamp: 10, sqrtPriceX96: null },
        { timestamp: 9, sqrtPriceX96: null },
      ]),
    ).to.match(/^steps\[1\]\.timestamp: expected times in order/);
    expect(refused([{ timestamp: 10, sqrtPriceX96: 1n }])).to.match(
      /^steps\[0\]\.sqrtPriceX96: expected a price strictly inside/,
    );
  });
});
