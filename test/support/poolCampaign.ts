import { expect } from "chai";
import type { NetworkConnection } from "hardhat/types/network";
import { decodeErrorResult, parseEventLogs, type Hex } from "viem";

import { uniswapV3FactoryAbi, uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import {
  MAX_SQRT_RATIO,
  MAX_TICK,
  MAX_UINT128,
  MIN_SQRT_RATIO,
  MIN_TICK,
} from "../../src/uniswap/constants.js";
import { PoolRevertError } from "../../src/uniswap/errors.js";
import { mulDivRoundingUp } from "../../src/uniswap/fullMath.js";
import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import { Random } from "./random.js";

/** Revert strings of v3-core; every other revert of the pool carries no data. */
const CONTRACT_REASONS = new Set([
  "L",
  "F0",
  "F1",
  "AS",
  "SPL",
  "LOK",
  "LS",
  "LA",
  "LO",
  "NP",
  "TLU",
  "TLM",
  "TUM",
  "T",
  "R",
  "OLD",
  "I",
]);

export interface CampaignOptions {
  seed: number;
  fee: number;
  tickSpacing: number;
  /** Operations in all; they go to the chain in batches of at most 25, cut short to fit a block's gas. */
  operations: number;
  /** Ticks around the start within which most ranges are placed. */
  width: number;
  /** setFeeProtocol(f, f) on the pool before trading (0 = off). */
  feeProtocol?: number;
}

/** The four fee tiers with ranges wide enough to span many bitmap words at their spacing. */
export const CAMPAIGN_TIERS: readonly Omit<CampaignOptions, "seed" | "operations">[] = [
  { fee: 100, tickSpacing: 1, width: 2500 },
  { fee: 500, tickSpacing: 10, width: 8000, feeProtocol: 4 },
  { fee: 3000, tickSpacing: 60, width: 20_000 },
  { fee: 10000, tickSpacing: 200, width: 40_000, feeProtocol: 10 },
];

export interface CampaignCounts {
  swaps: number;
  mints: number;
  burns: number;
  collects: number;
  flashes: number;
  /** Operations both the pool and the simulator refused, with the same reason. */
  reverts: number;
  /** Those refusals by reason ('' for the pool's bare requires). */
  revertReasons: Record<string, number>;
  ticksCrossed: number;
  /** Iterations of the swap loops: one per initialised tick or 256-tick bitmap word reached, plus the last. */
  swapSteps: number;
  /** State comparisons after each batch: ticks, bitmap words, positions, observations. */
  stateChecks: number;
}

type Op = {
  kind: 0 | 1 | 2 | 3 | 4;
  zeroForOne: boolean;
  tickLower: number;
  tickUpper: number;
  sqrtPriceLimitX96: bigint;
  amountSpecified: bigint;
  amount: bigint;
  amount0Requested: bigint;
  amount1Requested: bigint;
  extra0: bigint;
  extra1: bigint;
};

interface Expected {
  label: string;
  reason: string | null;
  amount0: bigint;
  amount1: bigint;
  /** The simulator's price, tick, liquidity and both fee growths right after the operation. */
  after: (bigint | number)[];
}

function reasonOf(error: unknown): string {
  if (!(error instanceof PoolRevertError)) throw error;
  return CONTRACT_REASONS.has(error.reason) ? error.reason : "";
}

function decodeRevert(data: Hex): string {
  if (data === "0x") return "";
  const decoded = decodeErrorResult({
    abi: [{ type: "error", name: "Error", inputs: [{ name: "message", type: "string" }] }],
    data,
  });
  return decoded.args[0];
}

/**
 * Drives a fresh pool of two new 18-decimal tokens on the chain (the real v3-core bytecode from the
 * mirror's factory) and a PoolSimulator side by side with the same random operations, and checks that
 * they agree after every operation (amounts or revert reason, price, tick, liquidity, fee growth) and
 * after every batch (every tick, bitmap word, position, oracle observation, protocol fees).
 */
export async function runPoolCampaign(
  connection: NetworkConnection,
  deployment: UniswapDeployment,
  options: CampaignOptions,
): Promise<CampaignCounts> {
  const { viem } = connection;
  const random = new Random(options.seed);
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const wait = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`campaign setup transaction ${hash} reverted`);
    return receipt;
  };

  const tokenA = await viem.deployContract("MirrorToken", ["Campaign A", "A", 18]);
  const tokenB = await viem.deployContract("MirrorToken", ["Campaign B", "B", 18]);
  const operator = await viem.deployContract("PoolOperator");
  const [wallet] = await viem.getWalletClients();
  const factory = { address: deployment.factory, abi: uniswapV3FactoryAbi } as const;

  const owner = await publicClient.readContract({ ...factory, functionName: "owner" });
  await testClient.impersonateAccount({ address: owner });
  await testClient.setBalance({ address: owner, value: 10n ** 20n });
  const ownerWallet = await viem.getWalletClient(owner);
  const spacing = await publicClient.readContract({
    ...factory,
    functionName: "feeAmountTickSpacing",
    args: [options.fee],
  });
  if (spacing === 0) {
    await wait(
      await ownerWallet.writeContract({
        ...factory,
        functionName: "enableFeeAmount",
        args: [options.fee, options.tickSpacing],
      }),
    );
  } else if (spacing !== options.tickSpacing) {
    throw new Error(`fee ${options.fee} already has tick spacing ${spacing}, not ${options.tickSpacing}`);
  }
  await wait(
    await wallet!.writeContract({
      ...factory,
      functionName: "createPool",
      args: [tokenA.address, tokenB.address, options.fee],
    }),
  );
  const poolAddress = await publicClient.readContract({
    ...factory,
    functionName: "getPool",
    args: [tokenA.address, tokenB.address, options.fee],
  });
  const pool = { address: poolAddress, abi: uniswapV3PoolAbi } as const;

  const startTick = random.int(-20_000, 20_000);
  const initialPrice = getSqrtRatioAtTick(startTick) + random.bits(60);
  const initReceipt = await wait(
    await wallet!.writeContract({ ...pool, functionName: "initialize", args: [initialPrice] }),
  );
  const initBlock = await publicClient.getBlock({ blockNumber: initReceipt.blockNumber });
  const sim = PoolSimulator.initialize({
    fee: options.fee,
    tickSpacing: options.tickSpacing,
    sqrtPriceX96: initialPrice,
    blockTimestamp: Number(initBlock.timestamp),
  });
  const cardinality = random.int(2, 40);
  await wait(
    await wallet!.writeContract({
      ...pool,
      functionName: "increaseObservationCardinalityNext",
      args: [cardinality],
    }),
  );
  sim.increaseObservationCardinalityNext(cardinality);
  if (options.feeProtocol) {
    await wait(
      await ownerWallet.writeContract({
        ...pool,
        functionName: "setFeeProtocol",
        args: [options.feeProtocol, options.feeProtocol],
      }),
    );
    sim.setFeeProtocol(options.feeProtocol, options.feeProtocol);
  }
  await testClient.stopImpersonatingAccount({ address: owner });

  const operatorAddress = operator.address;
  const ranges: { tickLower: number; tickUpper: number }[] = [];
  const rangeKeys = new Set<string>();
  const touchedTicks = new Set<number>();
  const counts: CampaignCounts = {
    swaps: 0,
    mints: 0,
    burns: 0,
    collects: 0,
    flashes: 0,
    reverts: 0,
    revertReasons: {},
    ticksCrossed: 0,
    swapSteps: 0,
    stateChecks: 0,
  };
  const { fee, tickSpacing, width } = options;
  const align = (tick: number) => Math.round(tick / tickSpacing) * tickSpacing;
  const minUsable = Math.ceil(MIN_TICK / tickSpacing) * tickSpacing;
  const maxUsable = Math.floor(MAX_TICK / tickSpacing) * tickSpacing;
  let time = Number(initBlock.timestamp);

  const blank: Op = {
    kind: 0,
    zeroForOne: false,
    tickLower: 0,
    tickUpper: 0,
    sqrtPriceLimitX96: 0n,
    amountSpecified: 0n,
    amount: 0n,
    amount0Requested: 0n,
    amount1Requested: 0n,
    extra0: 0n,
    extra1: 0n,
  };

  function nextOp(batch: number): { op: Op; expected: Expected } {
    const roll = random.next();
    const position = ranges.length > 0 ? random.pick(ranges) : null;
    let op: Op;
    let label: string;
    if (ranges.length < 3 || roll < 0.22) {
      // Mostly aligned ranges near the price; now and then one the pool must refuse.
      const variant = random.next();
      let tickLower = align(startTick + random.int(-width, width));
      let tickUpper = align(startTick + random.int(-width, width));
      if (tickLower > tickUpper) [tickLower, tickUpper] = [tickUpper, tickLower];
      if (tickLower === tickUpper) tickUpper += tickSpacing;
      if (ranges.length === 0) [tickLower, tickUpper] = [minUsable, maxUsable];
      else if (variant < 0.03) tickLower += 1;
      else if (variant < 0.05) [tickLower, tickUpper] = [tickUpper, tickLower];
      else if (variant < 0.06) tickLower = MIN_TICK - 1;
      else if (variant < 0.07) tickUpper = MAX_TICK + 1;
      let amount = ranges.length === 0 ? 10n ** 21n : random.logUniform(1n, 10n ** 22n);
      const amountRoll = random.next();
      if (amountRoll < 0.02) amount = sim.maxLiquidityPerTick + 1n;
      else if (amountRoll < 0.04) amount = 0n;
      op = { ...blank, kind: 1, tickLower, tickUpper, amount };
      label = `mint [${tickLower}, ${tickUpper}] ${amount}`;
    } else if (roll < 0.35 && position !== null && position !== ranges[0]) {
      // The first, full-range position stays: without it an unlimited swap could run the price to its
      // bound through thousands of empty bitmap words and exhaust the block's gas.
      const held = sim.position(operatorAddress, position.tickLower, position.tickUpper).liquidity;
      const variant = random.next();
      const amount =
        variant < 0.05
          ? held + 1n
          : variant < 0.1
            ? 0n
            : variant < 0.5
              ? held
              : (held * BigInt(random.int(0, 1000))) / 1000n;
      op = { ...blank, kind: 2, ...position, amount };
      label = `burn [${position.tickLower}, ${position.tickUpper}] ${amount} of ${held}`;
    } else if (roll < 0.42 && position !== null) {
      const requested = () => (random.bool(0.5) ? MAX_UINT128 : random.logUniform(0n, 10n ** 20n));
      op = { ...blank, kind: 3, ...position, amount0Requested: requested(), amount1Requested: requested() };
      label = `collect [${position.tickLower}, ${position.tickUpper}] ${op.amount0Requested} ${op.amount1Requested}`;
    } else if (roll < 0.46) {
      // Small loans: the pool must hold what it lends, and it holds at least the first full-range deposit.
      const borrow = () => (random.bool(0.3) ? 0n : random.logUniform(1n, 10n ** 15n));
      const extra = () => (random.bool(0.5) ? 0n : random.logUniform(1n, 10n ** 15n));
      op = {
        ...blank,
        kind: 4,
        amount0Requested: borrow(),
        amount1Requested: borrow(),
        extra0: extra(),
        extra1: extra(),
      };
      label = `flash ${op.amount0Requested} ${op.amount1Requested} + ${op.extra0} ${op.extra1}`;
    } else {
      // Lean back toward the liquidity when the price has wandered far from it.
      const drift = (sim.tick - startTick) / (width * 2);
      const zeroForOne = random.bool(Math.min(Math.max(0.5 + drift, 0.05), 0.95));
      // Without a limit the amount stays moderate (a swap to the price bound would step through thousands
      // of empty bitmap words and exhaust a block's gas); with a nearby limit any amount up to 2^200 goes.
      const price = sim.sqrtPriceX96;
      const limitRoll = random.next();
      let limit = zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
      let magnitude = random.logUniform(1n, 10n ** 20n);
      if (limitRoll < 0.3) {
        const moved =
          (price * BigInt(zeroForOne ? random.int(9_000, 9_999) : random.int(10_001, 11_000))) / 10_000n;
        if (moved > MIN_SQRT_RATIO && moved < MAX_SQRT_RATIO) limit = moved;
        magnitude = random.logUniform(1n, 1n << 200n);
      } else if (limitRoll < 0.4) {
        const tick =
          sim.tick + (zeroForOne ? -random.int(1, 3 * tickSpacing) : random.int(1, 3 * tickSpacing));
        if (tick > MIN_TICK && tick < MAX_TICK) limit = getSqrtRatioAtTick(tick);
        magnitude = random.logUniform(1n, 1n << 200n);
      } else if (limitRoll < 0.43) {
        limit = zeroForOne ? price + 1n : price - 1n;
      }
      if (random.bool(0.02)) magnitude = 0n;
      const amountSpecified = random.bool() ? magnitude : -magnitude;
      op = { ...blank, kind: 0, zeroForOne, amountSpecified, sqrtPriceLimitX96: limit };
      label = `swap ${zeroForOne ? "0→1" : "1→0"} ${amountSpecified} limit ${limit}`;
    }

    label = `fee ${fee} seed ${options.seed} batch ${batch}: ${label}`;
    const expected: Expected = { label, reason: null, amount0: 0n, amount1: 0n, after: [] };
    try {
      if (op.kind === 0) {
        const result = sim.swap({
          zeroForOne: op.zeroForOne,
          amountSpecified: op.amountSpecified,
          sqrtPriceLimitX96: op.sqrtPriceLimitX96,
        });
        Object.assign(expected, { amount0: result.amount0, amount1: result.amount1 });
        counts.swaps++;
        counts.ticksCrossed += result.ticksCrossed;
        counts.swapSteps += result.steps;
      } else if (op.kind === 1) {
        Object.assign(expected, sim.mint({ owner: operatorAddress, ...op }));
        counts.mints++;
        const key = `${op.tickLower}|${op.tickUpper}`;
        if (!rangeKeys.has(key)) {
          rangeKeys.add(key);
          ranges.push({ tickLower: op.tickLower, tickUpper: op.tickUpper });
        }
        touchedTicks.add(op.tickLower).add(op.tickUpper);
      } else if (op.kind === 2) {
        Object.assign(expected, sim.burn({ owner: operatorAddress, ...op }));
        counts.burns++;
        touchedTicks.add(op.tickLower).add(op.tickUpper);
      } else if (op.kind === 3) {
        Object.assign(expected, sim.collect({ owner: operatorAddress, ...op }));
        counts.collects++;
      } else {
        const fee = (amount: bigint) => mulDivRoundingUp(amount, BigInt(options.fee), 1_000_000n);
        const paid0 = fee(op.amount0Requested) + op.extra0;
        const paid1 = fee(op.amount1Requested) + op.extra1;
        sim.flash({ amount0: op.amount0Requested, amount1: op.amount1Requested, paid0, paid1 });
        Object.assign(expected, { amount0: paid0, amount1: paid1 });
        counts.flashes++;
      }
    } catch (error) {
      expected.reason = reasonOf(error);
      counts.reverts++;
      counts.revertReasons[expected.reason] = (counts.revertReasons[expected.reason] ?? 0) + 1;
    }
    expected.after = [
      sim.sqrtPriceX96,
      sim.tick,
      sim.liquidity,
      sim.feeGrowthGlobal0X128,
      sim.feeGrowthGlobal1X128,
    ];
    return { op, expected };
  }

  for (let batch = 0, done = 0; done < options.operations; batch++) {
    // Blocks mined since (setup, state reads) carry wall-clock time: the batch's block must come after them.
    const latest = Number((await publicClient.getBlock()).timestamp);
    time = Math.max(time, latest) + (random.bool(0.2) ? random.int(3600, 86_400) : random.int(1, 120));
    await testClient.setNextBlockTimestamp({ timestamp: BigInt(time) });
    sim.setTime(time);
    // The transaction gas cap is 2^24: plan operations until a rough estimate of their gas reaches 10M.
    const planned: { op: Op; expected: Expected }[] = [];
    let gas = 0;
    while (planned.length < 25 && done < options.operations && gas < 10_000_000) {
      const stepsBefore = counts.swapSteps;
      planned.push(nextOp(batch));
      gas += 250_000 + (counts.swapSteps - stepsBefore) * 40_000;
      done++;
    }
    const receipt = await publicClient.waitForTransactionReceipt({
      hash: await operator.write.run([poolAddress, planned.map((p) => p.op)], { gas: 16_000_000n }),
    });
    expect(receipt.status, `batch ${batch} transaction`).to.equal("success");
    const outcomes = parseEventLogs({ abi: operator.abi, eventName: "Outcome", logs: receipt.logs });
    expect(outcomes.length, `outcomes of batch ${batch}`).to.equal(planned.length);

    for (const [i, outcome] of outcomes.entries()) {
      const { expected } = planned[i]!;
      const { reverted, revertData, result } = outcome.args;
      const reason = reverted ? decodeRevert(revertData) : null;
      expect(reason, `${expected.label}: revert reason`).to.equal(expected.reason);
      if (expected.reason === null) {
        expect([result.amount0, result.amount1], `${expected.label}: amounts`).to.deep.equal([
          expected.amount0,
          expected.amount1,
        ]);
      }
      expect(
        [
          result.sqrtPriceX96,
          result.tick,
          result.liquidity,
          result.feeGrowthGlobal0X128,
          result.feeGrowthGlobal1X128,
        ],
        `${expected.label}: price, tick, liquidity, fee growth after it`,
      ).to.deep.equal(expected.after);
    }
    await compareState(batch);
  }
  return counts;

  async function compareState(batch: number): Promise<void> {
    const label = `fee ${fee} seed ${options.seed} after batch ${batch}`;
    const ticks = [...new Set([...sim.initializedTicks(), ...touchedTicks])].sort((a, b) => a - b);
    const onChainTicks = await operator.read.readTicks([poolAddress, ticks]);
    for (const [i, tick] of ticks.entries()) {
      const chain = onChainTicks[i]!;
      const ours = sim.tickState(tick);
      const expected =
        ours === null
          ? [0n, 0n, 0n, 0n, 0n, 0n, 0, false]
          : [
              ours.liquidityGross,
              ours.liquidityNet,
              ours.feeGrowthOutside0X128,
              ours.feeGrowthOutside1X128,
              ours.tickCumulativeOutside,
              ours.secondsPerLiquidityOutsideX128,
              ours.secondsOutside,
              true,
            ];
      expect(
        [
          chain.liquidityGross,
          chain.liquidityNet,
          chain.feeGrowthOutside0X128,
          chain.feeGrowthOutside1X128,
          chain.tickCumulativeOutside,
          chain.secondsPerLiquidityOutsideX128,
          chain.secondsOutside,
          chain.initialized,
        ],
        `${label}: ticks(${tick})`,
      ).to.deep.equal(expected);
    }
    const words = [
      ...new Set(
        ticks.flatMap((t) => [(Math.floor(t / tickSpacing) >> 8) - 1, Math.floor(t / tickSpacing) >> 8]),
      ),
    ];
    const onChainWords = await operator.read.readWords([poolAddress, words]);
    expect(onChainWords, `${label}: tickBitmap words ${words.join(",")}`).to.deep.equal(
      words.map((w) => sim.tickBitmapWord(w)),
    );
    const onChainPositions = await operator.read.readPositions([
      poolAddress,
      ranges.map((r) => r.tickLower),
      ranges.map((r) => r.tickUpper),
    ]);
    for (const [i, range] of ranges.entries()) {
      const p = sim.position(operatorAddress, range.tickLower, range.tickUpper);
      const chain = onChainPositions[i]!;
      expect(
        [
          chain.liquidity,
          chain.feeGrowthInside0LastX128,
          chain.feeGrowthInside1LastX128,
          chain.tokensOwed0,
          chain.tokensOwed1,
        ],
        `${label}: position [${range.tickLower}, ${range.tickUpper}]`,
      ).to.deep.equal([
        p.liquidity,
        p.feeGrowthInside0LastX128,
        p.feeGrowthInside1LastX128,
        p.tokensOwed0,
        p.tokensOwed1,
      ]);
    }
    const [slot0, protocolFees] = await Promise.all([
      publicClient.readContract({ ...pool, functionName: "slot0" }),
      publicClient.readContract({ ...pool, functionName: "protocolFees" }),
    ]);
    const ours = sim.slot0();
    expect(slot0, `${label}: slot0`).to.deep.equal([
      ours.sqrtPriceX96,
      ours.tick,
      ours.observationIndex,
      ours.observationCardinality,
      ours.observationCardinalityNext,
      ours.feeProtocol,
      true,
    ]);
    expect(protocolFees, `${label}: protocolFees`).to.deep.equal([
      sim.protocolFees.token0,
      sim.protocolFees.token1,
    ]);
    for (let i = 0; i < ours.observationCardinalityNext; i++) {
      const o = sim.observation(i);
      const chain = await publicClient.readContract({
        ...pool,
        functionName: "observations",
        args: [BigInt(i)],
      });
      expect(chain, `${label}: observations(${i})`).to.deep.equal([
        o.blockTimestamp,
        o.tickCumulative,
        o.secondsPerLiquidityCumulativeX128,
        o.initialized,
      ]);
    }
    const secondsAgos = [0, 1, 30, 600, 7200].filter(() => random.bool(0.8));
    const observed = await publicClient
      .readContract({ ...pool, functionName: "observe", args: [secondsAgos] })
      .then(([ticks, spl]) => ticks.map((t, i) => [t, spl[i]]))
      .catch((error: Error) => (/OLD/.test(error.message) ? "OLD" : error));
    const simulated = (() => {
      try {
        return sim.observe(secondsAgos).map((c) => [c.tickCumulative, c.secondsPerLiquidityCumulativeX128]);
      } catch (error) {
        return reasonOf(error);
      }
    })();
    expect(observed, `${label}: observe(${secondsAgos.join(",")})`).to.deep.equal(simulated);
    for (const range of ranges.slice(-3)) {
      if (sim.tickState(range.tickLower) === null || sim.tickState(range.tickUpper) === null) continue;
      const inside = sim.snapshotCumulativesInside(range.tickLower, range.tickUpper);
      expect(
        await publicClient.readContract({
          ...pool,
          functionName: "snapshotCumulativesInside",
          args: [range.tickLower, range.tickUpper],
        }),
        `${label}: snapshotCumulativesInside(${range.tickLower}, ${range.tickUpper})`,
      ).to.deep.equal([
        inside.tickCumulativeInside,
        inside.secondsPerLiquidityInsideX128,
        inside.secondsInside,
      ]);
    }
    counts.stateChecks++;
  }
}
