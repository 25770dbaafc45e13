import { maxLiquidityForAmounts, SqrtPriceMath, SwapMath } from "@uniswap/v3-sdk";
import { expect } from "chai";
import JSBI from "jsbi";

import { MAX_SQRT_RATIO, MAX_UINT128, MIN_SQRT_RATIO, Q96 } from "../../src/uniswap/constants.js";
import { PoolRevertError } from "../../src/uniswap/errors.js";
import { getAmountsForLiquidity, getLiquidityForAmounts } from "../../src/uniswap/liquidityAmounts.js";
import {
  getAmount0Delta,
  getAmount1Delta,
  getNextSqrtPriceFromInput,
  getNextSqrtPriceFromOutput,
} from "../../src/uniswap/sqrtPriceMath.js";
import { computeSwapStep } from "../../src/uniswap/swapMath.js";
import { Random } from "../support/random.js";

const max = (x: bigint, y: bigint) => (x > y ? x : y);
const min = (x: bigint, y: bigint) => (x < y ? x : y);
const j = (x: bigint) => JSBI.BigInt(x.toString());
const b = (x: JSBI) => BigInt(x.toString());

/** The SDK's answer, or the string "throws" when it refuses (its invariants are the contract's requires). */
function sdk<T>(f: () => T): T | "throws" {
  try {
    return f();
  } catch {
    return "throws";
  }
}
function ours<T>(f: () => T): T | "throws" {
  try {
    return f();
  } catch (error) {
    if (error instanceof PoolRevertError) return "throws";
    throw error;
  }
}

/** Checks one swap step against the SDK's; returns the step's end price (null when both refuse it). */
function expectStepAsSdk(
  current: bigint,
  target: bigint,
  liquidity: bigint,
  amountRemaining: bigint,
  fee: number,
  label: string,
): bigint | null {
  const step = ours(() => computeSwapStep(current, target, liquidity, amountRemaining, fee));
  const expected = sdk(() =>
    SwapMath.computeSwapStep(j(current), j(target), j(liquidity), j(amountRemaining), fee).map(b),
  );
  expect(
    step === "throws" ? step : [step.sqrtRatioNextX96, step.amountIn, step.amountOut, step.feeAmount],
    label,
  ).to.deep.equal(expected);
  return step === "throws" ? null : step.sqrtRatioNextX96;
}

function randomPrice(random: Random): bigint {
  return random.bool(0.7)
    ? random.logUniform((Q96 * 9n) / 10n ** 9n, Q96 * 10n ** 5n)
    : random.logUniform(MIN_SQRT_RATIO, MAX_SQRT_RATIO - 1n);
}

describe("sqrt price math, swap step and liquidity amounts against @uniswap/v3-sdk", function () {
  const CASES = 3000;

  it(`getAmount0Delta / getAmount1Delta, both roundings: ${CASES} cases`, function () {
    const random = new Random(11);
    for (let i = 0; i < CASES; i++) {
      const [pa, pb, liquidity] = [
        randomPrice(random),
        randomPrice(random),
        random.logUniform(1n, MAX_UINT128),
      ];
      for (const roundUp of [true, false]) {
        const label = `${pa} ${pb} ${liquidity} ${roundUp}`;
        expect(getAmount0Delta(pa, pb, liquidity, roundUp), label).to.equal(
          b(SqrtPriceMath.getAmount0Delta(j(pa), j(pb), j(liquidity), roundUp)),
        );
        expect(getAmount1Delta(pa, pb, liquidity, roundUp), label).to.equal(
          b(SqrtPriceMath.getAmount1Delta(j(pa), j(pb), j(liquidity), roundUp)),
        );
      }
    }
  });

  it(`getNextSqrtPriceFromInput / FromOutput, including the overflow branches: ${CASES} cases`, function () {
    const random = new Random(12);
    let overflowBranch = 0;
    for (let i = 0; i < CASES; i++) {
      const price = randomPrice(random);
      const liquidity = random.logUniform(1n, MAX_UINT128);
      // Up to 2^256 so that amount * price overflows and the contract's fallback formula runs.
      const amount = random.logUniform(0n, (1n << 256n) - 1n);
      if (amount * price >= 1n << 256n) overflowBranch++;
      for (const zeroForOne of [true, false]) {
        const label = `${price} ${liquidity} ${amount} ${zeroForOne}`;
        const fromInput = ours(() => getNextSqrtPriceFromInput(price, liquidity, amount, zeroForOne));
        const sdkInput = sdk(() =>
          b(SqrtPriceMath.getNextSqrtPriceFromInput(j(price), j(liquidity), j(amount), zeroForOne)),
        );
        // The SDK does not check that the result fits in uint160 where the contract does (toUint160).
        if (!(fromInput === "throws" && typeof sdkInput === "bigint" && sdkInput >= 1n << 160n))
          expect(fromInput, `input ${label}`).to.equal(sdkInput);
        expect(
          ours(() => getNextSqrtPriceFromOutput(price, liquidity, amount, zeroForOne)),
          `output ${label}`,
        ).to.equal(
          sdk(() =>
            b(SqrtPriceMath.getNextSqrtPriceFromOutput(j(price), j(liquidity), j(amount), zeroForOne)),
          ),
        );
      }
    }
    expect(overflowBranch).to.be.greaterThan(CASES / 10);
  });

  it(`computeSwapStep, exact in and exact out, every fee tier: ${CASES} cases`, function () {
    const random = new Random(13);
    let reachedTarget = 0;
    for (let i = 0; i < CASES; i++) {
      const current = randomPrice(random);
      const target = random.bool(0.8)
        ? (current * BigInt(random.int(900_000, 1_100_000))) / 1_000_000n
        : randomPrice(random);
      if (target < MIN_SQRT_RATIO || target >= MAX_SQRT_RATIO || target === current) continue;
      const liquidity = random.logUniform(1n, 1n << 100n);
      const magnitude = random.logUniform(1n, 1n << 120n);
      const amountRemaining = random.bool() ? magnitude : -magnitude;
      const fee = random.pick([100, 500, 3000, 10000, random.int(1, 999_999)]);
      const label = `${current} ${target} ${liquidity} ${amountRemaining} ${fee}`;
      if (expectStepAsSdk(current, target, liquidity, amountRemaining, fee, label) === target)
        reachedTarget++;
    }
    expect(reachedTarget).to.be.within(CASES / 10, CASES * 0.9);
  });

  it("computeSwapStep at the edge: remaining amounts within a few wei of what reaches the target", function () {
    // The step decides "reaches the target or not" by cheaper means first; right at the edge it must
    // still decide exactly as the contract does.
    const random = new Random(15);
    let cases = 0;
    for (let i = 0; i < 600; i++) {
      const current = randomPrice(random);
      const target = (current * BigInt(random.int(990_000, 1_010_000))) / 1_000_000n;
      if (target < MIN_SQRT_RATIO || target >= MAX_SQRT_RATIO || target === current) continue;
      const liquidity = random.logUniform(1n, 1n << 100n);
      const fee = random.pick([100, 500, 3000, 10000]);
      const down = target < current;
      const toTargetIn = down
        ? getAmount0Delta(target, current, liquidity, true)
        : getAmount1Delta(current, target, liquidity, true);
      const toTargetOut = down
        ? getAmount1Delta(target, current, liquidity, false)
        : getAmount0Delta(current, target, liquidity, false);
      for (let d = -3n; d <= 3n; d++) {
        const exactIn = ((toTargetIn + d) * 1_000_000n) / BigInt(1_000_000 - fee) + 1n;
        for (const amountRemaining of [exactIn, exactIn - 1n, -(toTargetOut + d)]) {
          if (amountRemaining === 0n) continue;
          const label = `${current} ${target} ${liquidity} ${amountRemaining} ${fee}`;
          expectStepAsSdk(current, target, liquidity, amountRemaining, fee, label);
          cases++;
        }
      }
    }
    expect(cases).to.be.greaterThan(10_000);
  });

  it(`getLiquidityForAmounts equals the SDK's maxLiquidityForAmounts (periphery precision): ${CASES} cases`, function () {
    const random = new Random(14);
    let overflows = 0;
    for (let i = 0; i < CASES; i++) {
      const price = randomPrice(random);
      const [pa, pb] = [
        (price * BigInt(random.int(500_000, 1_500_000))) / 1_000_000n,
        (price * BigInt(random.int(500_000, 1_500_000))) / 1_000_000n,
      ];
      if (pa === pb || pa < MIN_SQRT_RATIO || pb < MIN_SQRT_RATIO) continue;
      const [amount0, amount1] = [random.logUniform(0n, 1n << 90n), random.logUniform(0n, 1n << 90n)];
      const label = `${price} ${pa} ${pb} ${amount0} ${amount1}`;
      const liquidity = ours(() => getLiquidityForAmounts(price, pa, pb, amount0, amount1));
      const expected = sdk(() =>
        b(maxLiquidityForAmounts(j(price), j(pa), j(pb), j(amount0), j(amount1), false)),
      );
      if (liquidity === "throws") {
        // The periphery casts each side's liquidity to uint128 before taking the smaller; the SDK does not.
        const [lo, hi] = pa < pb ? [pa, pb] : [pb, pa];
        const side0 = price < hi ? (amount0 * ((max(price, lo) * hi) / Q96)) / (hi - max(price, lo)) : 0n;
        const side1 = price > lo ? (amount1 * Q96) / (min(price, hi) - lo) : 0n;
        expect(side0 > MAX_UINT128 || side1 > MAX_UINT128, label).to.equal(true);
        overflows++;
      } else expect(liquidity, label).to.equal(expected);
      if (typeof liquidity === "bigint") {
        // What the liquidity is worth never exceeds what was offered for it.
        const held = getAmountsForLiquidity(price, pa, pb, liquidity);
        expect(held.amount0 <= amount0 && held.amount1 <= amount1, label).to.equal(true);
      }
    }
    expect(overflows).to.be.below(CASES / 10);
  });
});
