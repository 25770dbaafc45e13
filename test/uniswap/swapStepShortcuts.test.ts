import { SwapMath } from "@uniswap/v3-sdk";
import { expect } from "chai";
import JSBI from "jsbi";

import { MAX_SQRT_RATIO, MIN_SQRT_RATIO, Q96 } from "../../src/uniswap/constants.js";
import { getAmount0Delta } from "../../src/uniswap/sqrtPriceMath.js";
import { amount0DeltaDown, computeSwapStep, wholeInputFrom } from "../../src/uniswap/swapMath.js";
import { Random } from "../support/random.js";

const j = (x: bigint) => JSBI.BigInt(x.toString());
const b = (x: JSBI) => BigInt(x.toString());

/** Our step and the SDK's (the contract's formulas, computed in the contract's order), as four numbers. */
function bothSteps(current: bigint, target: bigint, liquidity: bigint, amountRemaining: bigint, fee: number) {
  const ours = computeSwapStep(current, target, liquidity, amountRemaining, fee);
  return {
    ours: [ours.sqrtRatioNextX96, ours.amountIn, ours.amountOut, ours.feeAmount],
    sdk: SwapMath.computeSwapStep(j(current), j(target), j(liquidity), j(amountRemaining), fee).map(b),
  };
}

// Exact-input steps that end short of their target skip computing what is known (the input to the rounded
// price, and the token0 paid out when a double estimate settles it); these tests drive each of those
// shortcuts and each of their fallbacks, and check every step against the SDK.
describe("swap step shortcuts for an exact input that ends short of its target", function () {
  it("wholeInputFrom(L) is a price T with T·(T − 1) > L·2^96, and within a relative 1e-8 of the least such", function () {
    const random = new Random(31);
    for (let i = 0; i < 2000; i++) {
      const liquidity = random.logUniform(1n, (1n << 128n) - 1n);
      const t = wholeInputFrom(liquidity);
      const n1 = liquidity << 96n;
      expect(t * (t - 1n) > n1, `L ${liquidity}`).to.equal(true);
      // Not needlessly high either (prices above it take the shortcut): (T − 3)² <= L·2^96·(1 + 1e-8).
      expect((t - 3n) ** 2n * 10n ** 8n <= n1 * (10n ** 8n + 1n), `L ${liquidity}`).to.equal(true);
    }
  });

  it("agrees with the SDK on 4,000 random short steps, through every shortcut and every fallback", function () {
    const random = new Random(32);
    const seen = { wholeInput0: 0, computedInput0: 0, wholeInput1: 0, computedInput1: 0, estimatedOut0: 0 };
    let short = 0;
    for (let i = 0; i < 4000; i++) {
      const zeroForOne = random.bool();
      const current = random.bool(0.6)
        ? random.logUniform(Q96 / 1000n, Q96 * 100_000n)
        : random.logUniform(MIN_SQRT_RATIO * 2n, MAX_SQRT_RATIO / 2n);
      const target = zeroForOne ? (current * 9n) / 10n : (current * 11n) / 10n;
      if (target <= MIN_SQRT_RATIO || target >= MAX_SQRT_RATIO) continue;
      const liquidity = random.logUniform(1n, (1n << 128n) - 1n);
      const amountRemaining = random.logUniform(1n, 1n << 200n);
      const fee = random.pick([100, 500, 3000, 10000]);
      const { ours, sdk } = bothSteps(current, target, liquidity, amountRemaining, fee);
      expect(ours, `${current} ${target} ${liquidity} ${amountRemaining} ${fee}`).to.deep.equal(sdk);

      const [next] = ours as [bigint];
      if (next === target) continue;
      short++;
      if (zeroForOne) {
        if (next >= wholeInputFrom(liquidity)) seen.wholeInput0++;
        else seen.computedInput0++;
      } else {
        if (liquidity <= Q96) seen.wholeInput1++;
        else seen.computedInput1++;
        const quotient = next - current;
        const estimate = (Number(liquidity) * 2 ** 96 * Number(quotient)) / (Number(current) * Number(next));
        if (estimate < 2 ** 52) seen.estimatedOut0++;
      }
    }
    expect(short).to.be.greaterThan(1000);
    console.log(`      ${short} short steps: ${JSON.stringify(seen)}`);
    for (const [branch, count] of Object.entries(seen)) expect(count, branch).to.be.greaterThan(100);
  });

  it("amount0DeltaDown equals getAmount0Delta rounded down: integers, a hair either side of one, large outputs", function () {
    const check = (current: bigint, quotient: bigint, liquidity: bigint) => {
      const next = current + quotient;
      const n1 = liquidity << 96n;
      const ours = amount0DeltaDown(current, next, quotient, n1, Number(liquidity) * 2 ** 96);
      expect(ours, `${current} ${quotient} ${liquidity}`).to.equal(
        getAmount0Delta(current, next, liquidity, false),
      );
      return ours;
    };
    // Price 1 doubling: exactly L / 2, and with the quotient a wei short, L / 2 − L/2^98, just below it
    // (a double cannot see the difference; the margin must send it to the exact division).
    expect(check(Q96, Q96, 1000n)).to.equal(500n);
    expect(check(Q96, Q96 - 1n, 1000n)).to.equal(499n);
    expect(check(Q96, Q96 + 1n, 1000n)).to.equal(500n);
    expect(check(Q96, Q96 - 1n, 2n ** 52n)).to.equal(2n ** 51n - 1n);
    expect(check(Q96, Q96, 2n ** 52n + 2n)).to.equal(2n ** 51n + 1n);
    // Outputs of 2^52 and more always take the exact division.
    expect(check(Q96, Q96, 2n ** 60n)).to.equal(2n ** 59n);
    expect(check(Q96, Q96 - 1n, 2n ** 60n)).to.equal(2n ** 59n - 1n);
    const random = new Random(33);
    for (let i = 0; i < 3000; i++) {
      const current = random.logUniform(MIN_SQRT_RATIO, MAX_SQRT_RATIO / 2n);
      check(current, random.logUniform(0n, current), random.logUniform(1n, (1n << 128n) - 1n));
    }
  });

  it("takes an exact input of token1 to the token0 out the contract gives where that out is an integer", function () {
    // Price 1, token1 in of exactly L (fee 0): the price doubles and the token0 out is exactly L / 2.
    for (const liquidity of [2n, 1000n, 999n, (1n << 51n) + 2n, 10n ** 15n]) {
      for (const amount of [liquidity - 1n, liquidity, liquidity + 1n]) {
        const { ours, sdk } = bothSteps(Q96, Q96 * 4n, liquidity, amount, 0);
        expect(ours, `L ${liquidity} in ${amount}`).to.deep.equal(sdk);
      }
    }
    expect(bothSteps(Q96, Q96 * 4n, 1000n, 1000n, 0).ours[2]).to.equal(500n);
  });

  it("falls back to the general formulas where the contract takes its overflow branch (token0 in)", function () {
    // amountIn · price past 2^256: getNextSqrtPriceFromAmount0RoundingUp's second formula.
    const current = MAX_SQRT_RATIO / 4n;
    const liquidity = (1n << 127n) + 12345n;
    const amount = (1n << 256n) / current + 10n ** 9n;
    const { ours, sdk } = bothSteps(current, MIN_SQRT_RATIO + 1n, liquidity, amount, 0);
    expect(amount * current > (1n << 256n) - 1n).to.equal(true);
    expect(ours).to.deep.equal(sdk);
    expect(ours[0]).to.not.equal(MIN_SQRT_RATIO + 1n);
  });
});
