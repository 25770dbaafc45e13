import { expect } from "chai";

import { MAX_UINT128 } from "../../src/uniswap/constants.js";
import { InvalidPoolInputError, PoolRevertError } from "../../src/uniswap/errors.js";
import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";

function pool(tickSpacing = 1): PoolSimulator {
  const sim = PoolSimulator.initialize({
    fee: 500,
    tickSpacing,
    sqrtPriceX96: getSqrtRatioAtTick(0) + 12345n,
    blockTimestamp: 1_000,
  });
  sim.mint({ owner: "0xa", tickLower: -2000, tickUpper: 2000, amount: 10n ** 20n });
  return sim;
}

describe("pool simulator", function () {
  it("ends a swap step at every 256-tick bitmap word edge even where no tick is initialised", function () {
    const sim = pool();
    // From just above tick 0 down to tick -1000: word edges at 0, -256, -512 and -768, then the limit.
    const result = sim.swap({
      zeroForOne: true,
      amountSpecified: 10n ** 30n,
      sqrtPriceLimitX96: getSqrtRatioAtTick(-1000),
    });
    expect(result.steps).to.equal(5);
    expect(result.ticksCrossed).to.equal(0);
    expect(result.tick).to.equal(-1000);
    expect(result.liquidity).to.equal(10n ** 20n);
  });

  it("leaves the tick one below an initialised tick it stopped on going down, and crosses it on the way up", function () {
    const sim = pool(10);
    sim.mint({ owner: "0xb", tickLower: -100, tickUpper: 100, amount: 10n ** 20n });
    const down = sim.swap({
      zeroForOne: true,
      amountSpecified: 10n ** 30n,
      sqrtPriceLimitX96: getSqrtRatioAtTick(-100),
    });
    expect([down.tick, down.liquidity, down.ticksCrossed]).to.deep.equal([-101, 10n ** 20n, 1]);
    const up = sim.swap({ zeroForOne: false, amountSpecified: 1n });
    expect(up.ticksCrossed).to.equal(1);
    expect(up.liquidity).to.equal(2n * 10n ** 20n);
  });

  it("quotes without changing anything, and a quote equals the swap that follows", function () {
    const sim = pool();
    const before = sim.snapshot();
    const quote = sim.quoteSwap({ zeroForOne: false, amountSpecified: -(10n ** 18n) });
    expect(sim.snapshot()).to.deep.equal(before);
    expect(sim.swap({ zeroForOne: false, amountSpecified: -(10n ** 18n) })).to.deep.equal(quote);
    expect(quote.amount0).to.equal(-(10n ** 18n));
  });

  it("pays fees pro rata from fee growth: positionFees before a burn equals what burn + collect return", function () {
    const sim = pool(10);
    sim.mint({ owner: "0xb", tickLower: -500, tickUpper: 500, amount: 3n * 10n ** 20n });
    for (let i = 0; i < 20; i++) sim.swap({ zeroForOne: i % 2 === 0, amountSpecified: 10n ** 19n });
    const owed = sim.positionFees("0xB", -500, 500);
    expect(owed.amount0 > 0n && owed.amount1 > 0n).to.equal(true);
    sim.burn({ owner: "0xb", tickLower: -500, tickUpper: 500, amount: 0n });
    const collected = sim.collect({
      owner: "0xb",
      tickLower: -500,
      tickUpper: 500,
      amount0Requested: MAX_UINT128,
      amount1Requested: MAX_UINT128,
    });
    expect(collected).to.deep.equal(owed);
    // 3/4 of the in-range liquidity earns 3/4 of the fees, less rounding.
    const other = sim.positionFees("0xa", -2000, 2000);
    expect(Number(owed.amount0) / Number(other.amount0)).to.be.closeTo(3, 1e-6);
  });

  it("refuses as the contract does and leaves the state untouched", function () {
    const sim = pool(10);
    const before = sim.snapshot();
    const cases: [() => unknown, string][] = [
      [() => sim.swap({ zeroForOne: true, amountSpecified: 0n }), "AS"],
      [() => sim.swap({ zeroForOne: true, amountSpecified: 1n, sqrtPriceLimitX96: sim.sqrtPriceX96 }), "SPL"],
      [() => sim.mint({ owner: "0xa", tickLower: 10, tickUpper: 10, amount: 1n }), "TLU"],
      [() => sim.mint({ owner: "0xa", tickLower: -887280, tickUpper: 10, amount: 1n }), "TLM"],
      [() => sim.mint({ owner: "0xa", tickLower: 0, tickUpper: 887280, amount: 1n }), "TUM"],
      [
        () => sim.mint({ owner: "0xa", tickLower: 0, tickUpper: 10, amount: sim.maxLiquidityPerTick + 1n }),
        "LO",
      ],
      [() => sim.mint({ owner: "0xa", tickLower: 5, tickUpper: 10, amount: 1n }), "tick spacing"],
      [() => sim.burn({ owner: "0xa", tickLower: -2000, tickUpper: 2000, amount: 10n ** 20n + 1n }), "LS"],
      [() => sim.burn({ owner: "0xc", tickLower: -2000, tickUpper: 2000, amount: 0n }), "NP"],
      [() => sim.flash({ amount0: 10n ** 6n, amount1: 0n, paid0: 499n, paid1: 0n }), "F0"],
      [() => sim.flash({ amount0: 0n, amount1: 10n ** 6n, paid0: 0n, paid1: 499n }), "F1"],
    ];
    for (const [call, reason] of cases) {
      expect(call).to.throw(PoolRevertError).with.property("reason", reason);
    }
    expect(sim.snapshot()).to.deep.equal(before);
  });

  it("names the field and what was expected when given bad input", function () {
    const sim = pool();
    expect(() => sim.swap({ zeroForOne: true, amountSpecified: 1 as unknown as bigint }))
      .to.throw(InvalidPoolInputError, /amountSpecified: expected a bigint in \[-2\^255, 2\^255\), got 1/)
      .with.property("field", "amountSpecified");
    expect(() => sim.mint({ owner: "", tickLower: 0, tickUpper: 10, amount: 1n })).to.throw(
      InvalidPoolInputError,
      /owner/,
    );
    const state = { ...sim.snapshot(), tick: 5 };
    expect(() => new PoolSimulator(state)).to.throw(
      InvalidPoolInputError,
      /tick: expected 0, the tick of sqrtPriceX96/,
    );
    const ticks = new Map(sim.snapshot().ticks as Map<number, never>);
    ticks.set(7, {
      liquidityGross: 1n,
      liquidityNet: 2n,
      feeGrowthOutside0X128: 0n,
      feeGrowthOutside1X128: 0n,
    } as never);
    expect(() => new PoolSimulator({ ...sim.snapshot(), tickSpacing: 1, ticks })).to.throw(
      InvalidPoolInputError,
      /ticks\[7\]\.liquidityNet: expected \|liquidityNet\| <= liquidityGross/,
    );
    expect(() => sim.setTime(-1)).to.throw(InvalidPoolInputError, /timestamp/);
  });

  it("round-trips through snapshot(): a clone continues exactly as the original", function () {
    const sim = pool(10);
    sim.increaseObservationCardinalityNext(10);
    sim.setTime(2_000);
    sim.swap({ zeroForOne: true, amountSpecified: 10n ** 19n });
    const copy = sim.clone();
    for (const s of [sim, copy]) {
      s.setTime(3_000);
      s.swap({ zeroForOne: false, amountSpecified: 3n * 10n ** 19n });
      s.burn({ owner: "0xa", tickLower: -2000, tickUpper: 2000, amount: 10n ** 19n });
    }
    expect(copy.snapshot()).to.deep.equal(sim.snapshot());
    expect(copy.observe([0, 500, 1500])).to.deep.equal(sim.observe([0, 500, 1500]));
  });
});
