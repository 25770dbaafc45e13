import { expect } from "chai";
import { parseEventLogs } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { useMirror } from "../support/vaultActions.js";
import { deployTestPool, E18, mined } from "../support/vaultPool.js";

// The 0.8 ports in contracts/libraries/ against Uniswap's originals compiled with 0.7.6 (bit for bit), and against
// the pool's own results (what it charges for a mint, pays for a burn, and reports as its tick and TWAP).
const MAX_TICK = 887272;

function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("vault math: 0.8 ports against Uniswap's 0.7.6 originals and the pool", function () {
  const ctx = useMirror(async (connection, deployment) => {
    const { viem } = connection;
    const reference = await viem.deployContract("UniswapMathHarness");
    const ported = await viem.deployContract("VaultMathHarness");
    const pool = await deployTestPool(viem, deployment, { sqrtPriceX96: 2n ** 96n * 2n });
    return { reference, ported, pool };
  });
  const rand = prng(3);
  const randomTick = (span = MAX_TICK) => Math.floor((rand() * 2 - 1) * span);
  const randomBig = (bits: number) => {
    let x = 0n;
    for (let i = 0; i < bits; i += 26) x = (x << 26n) | BigInt(Math.floor(rand() * 2 ** 26));
    return x % 2n ** BigInt(bits);
  };

  it("TickMath.getSqrtRatioAtTick: every bit edge and 600 random ticks, bit for bit", async function () {
    const { reference, ported } = ctx().value;
    const ticks = [0, MAX_TICK, -MAX_TICK];
    for (let k = 0; k < 20; k++) ticks.push(2 ** k, -(2 ** k), 2 ** k - 1, 1 - 2 ** k);
    for (let i = 0; i < 600; i++) ticks.push(randomTick());
    const expected = await reference.read.sqrtRatios([ticks]);
    expect(await ported.read.sqrtRatios([ticks])).to.deep.equal(expected);
    expect(expected[1]).to.equal(1461446703485210103287273052203988822378723970342n);
    expect(expected[2]).to.equal(4295128739n);
    await ported.read.sqrtRatios([[MAX_TICK + 1]]).then(
      () => expect.fail("a tick beyond MAX_TICK must revert"),
      (err: Error) => expect(err.message).to.include("TickOutOfBounds"),
    );
  });

  it("LiquidityAmounts: 400 random liquidity-for-amounts and amounts-for-liquidity cases, bit for bit", async function () {
    const { reference, ported } = ctx().value;
    const ticks = Array.from({ length: 1200 }, () => randomTick(400_000));
    const sqrt = await reference.read.sqrtRatios([ticks]);
    const liquidityRows: [bigint, bigint, bigint, bigint, bigint][] = [];
    const amountRows: [bigint, bigint, bigint, bigint][] = [];
    for (let i = 0; i < 400; i++) {
      const [p, a, b] = [sqrt[3 * i]!, sqrt[3 * i + 1]!, sqrt[3 * i + 2]!];
      if (a === b) continue;
      liquidityRows.push([p, a, b, randomBig(80), randomBig(80)]);
      amountRows.push([p, a, b, randomBig(110)]);
    }
    // Inputs whose liquidity overflows uint128 revert in both; keep the rest, and all amounts rows.
    const safe = [];
    for (const row of liquidityRows) {
      const ok = await reference.read.liquidities([[row]]).then(
        () => true,
        () => false,
      );
      if (ok) safe.push(row);
    }
    expect(safe.length > 300, `${safe.length} comparable rows`).to.equal(true);
    expect(await ported.read.liquidities([safe])).to.deep.equal(await reference.read.liquidities([safe]));
    expect(await ported.read.amounts([amountRows])).to.deep.equal(await reference.read.amounts([amountRows]));
  });

  it("PriceMath.quote0In1 equals OracleLibrary.getQuoteAtTick on 400 ticks over the whole range (both branches)", async function () {
    const { reference, ported } = ctx().value;
    const ticks = Array.from({ length: 400 }, () => randomTick());
    ticks.push(MAX_TICK, -MAX_TICK, 443636, 443637);
    const amounts = ticks.map(() => randomBig(128));
    const expected = await reference.read.quotes([ticks, amounts]);
    expect(await ported.read.quotes([ticks, amounts])).to.deep.equal(expected);
  });

  it("PriceMath.meanTick rounds towards negative infinity like OracleLibrary.consult", async function () {
    const { ported } = ctx().value;
    const starts: bigint[] = [];
    const ends: bigint[] = [];
    const windows: number[] = [];
    for (let i = 0; i < 300; i++) {
      const start = randomBig(50) - 2n ** 49n;
      const window = 1 + Math.floor(rand() * 100_000);
      starts.push(start);
      ends.push(
        start +
          BigInt(randomTick(100_000)) * BigInt(window) +
          BigInt(Math.floor(rand() * window)) -
          BigInt(Math.floor(window / 2)),
      );
      windows.push(window);
    }
    const expected = starts.map((start, i) => {
      const delta = ends[i]! - start;
      const w = BigInt(windows[i]!);
      let tick = delta / w;
      if (delta < 0n && delta % w !== 0n) tick -= 1n;
      return Number(tick);
    });
    expect(await ported.read.meanTicks([starts, ends, windows])).to.deep.equal(expected);
  });

  it("PoolOracle.meanTick equals OracleLibrary.consult (the pool's observe): trades, same-block reads, a wrapping ring", async function () {
    const { connection, deployment, value } = ctx();
    const { viem } = connection;
    const { ported, reference } = value;
    const testClient = await viem.getTestClient();
    const publicClient = await viem.getPublicClient();
    const outcome = (read: Promise<number>) =>
      read.then(
        (tick) => ({ tick }),
        (err: Error) => ({ error: /OLD/.test(err.message) ? "OLD" : err.message }),
      );
    // A ring of 4 observations wraps within the test; the 100-slot one of the reference scenario does not.
    for (const cardinality of [4, 100]) {
      const pool = await deployTestPool(viem, deployment, { cardinality });
      const lp = await viem.getContractAt("BarePoolUser", pool.lp);
      const paths = { spot: 0, interpolated: 0, observe: 0, old: 0, sameBlock: 0 };
      const compare = async (blockTag: "latest" | "pending", label: string) => {
        const [, , index, slots] = await publicClient.readContract({
          address: pool.pool,
          abi: uniswapV3PoolAbi,
          functionName: "slot0",
          blockTag,
        });
        const observation = (i: number) =>
          publicClient.readContract({
            address: pool.pool,
            abi: uniswapV3PoolAbi,
            functionName: "observations",
            args: [BigInt(i)],
            blockTag,
          });
        const { timestamp } = await publicClient.getBlock({ blockTag });
        const [lastTime] = await observation(index);
        const [prevTime, , , prevInitialized] = await observation((index + slots - 1) % slots);
        for (const window of [1, 2, 30, 60, 61, 120, 333, 900, 3600]) {
          const want = await outcome(reference.read.consult([pool.pool, window], { blockTag }));
          const got = await outcome(ported.read.twapTick([pool.pool, window], { blockTag }));
          expect(got, `cardinality ${cardinality}, ${label}, window ${window}`).to.deep.equal(want);
          const target = Number(timestamp) - window;
          if (lastTime === Number(timestamp)) paths.sameBlock++;
          if ("error" in want) paths.old++;
          else if (lastTime <= target) paths.spot++;
          else if (prevInitialized && prevTime <= target) paths.interpolated++;
          else paths.observe++;
        }
      };
      for (let step = 0; step < 40; step++) {
        // Zero to two trades of either direction and size in one block, read in that block (the observation written
        // by the first trade is as new as the block), then again after a wait of 1 s to 5 min.
        const trades = Math.floor(rand() * 3);
        if (trades > 0) {
          await testClient.setAutomine(false);
          try {
            for (let t = 0; t < trades; t++) {
              await lp.write.swapExactIn([rand() < 0.5, BigInt(1 + Math.floor(rand() * 400)) * E18]);
            }
            await compare("pending", `step ${step}, in the trades' block`);
            await testClient.mine({ blocks: 1 });
          } finally {
            await testClient.setAutomine(true);
          }
        }
        await testClient.increaseTime({ seconds: 1 + Math.floor(rand() * 300) });
        await testClient.mine({ blocks: 1 });
        await compare("latest", `step ${step}`);
      }
      // Every path of the read was taken, and the errors agree too.
      for (const [path, count] of Object.entries(paths)) {
        expect(count > 0, `${path} taken with cardinality ${cardinality}: ${JSON.stringify(paths)}`).to.equal(
          true,
        );
      }
    }
  });

  it("agrees with the pool: mint charges our amounts rounded up, burn pays them exactly, ticks and TWAP match", async function () {
    const { connection, value } = ctx();
    const { viem } = connection;
    const { ported, reference, pool } = value;
    const lp = await viem.getContractAt("BarePoolUser", pool.lp);
    const publicClient = await viem.getPublicClient();
    const read = async () =>
      publicClient.readContract({ address: pool.pool, abi: uniswapV3PoolAbi, functionName: "slot0" });
    for (let i = 0; i < 12; i++) {
      const [sqrtPriceX96, tick] = await read();
      const lower = Math.floor((tick + randomTick(20_000)) / 60) * 60;
      const upper = lower + 60 * (1 + Math.floor(rand() * 300));
      const liquidity = randomBig(70) + 1n;
      const [sqrtA, sqrtB] = await ported.read.sqrtRatios([[lower, upper]]);
      const [want] = await ported.read.amounts([[[sqrtPriceX96, sqrtA!, sqrtB!, liquidity]]]);
      const [want0, want1] = want!;
      const minted = await mined(viem, await lp.write.mint([lower, upper, liquidity]));
      const [mint] = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Mint", logs: minted.logs });
      expect(mint!.args.amount0 - want0, "mint token0 rounds up by at most 1").to.be.oneOf([0n, 1n]);
      expect(mint!.args.amount1 - want1, "mint token1 rounds up by at most 1").to.be.oneOf([0n, 1n]);
      const burnt = await mined(viem, await lp.write.burnAndCollect([lower, upper, liquidity]));
      const [burn] = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Burn", logs: burnt.logs });
      expect([burn!.args.amount0, burn!.args.amount1]).to.deep.equal([want0, want1]);
      // Move the price up to a tick our TickMath computed: the pool reads the same tick back from it.
      const target = tick + 1 + Math.floor(rand() * 2000);
      const [targetSqrt] = await ported.read.sqrtRatios([[target]]);
      await mined(viem, await lp.write.swapTo([targetSqrt!]));
      expect((await read())[1]).to.equal(target);
      await (await viem.getTestClient()).increaseTime({ seconds: 7 + Math.floor(rand() * 50) });
    }
    await mined(viem, await lp.write.swapExactIn([true, 500n * E18]));
    await (await viem.getTestClient()).increaseTime({ seconds: 30 });
    await (await viem.getTestClient()).mine({ blocks: 1 });
    for (const window of [60, 120, 333]) {
      const [cumulatives] = await publicClient.readContract({
        address: pool.pool,
        abi: uniswapV3PoolAbi,
        functionName: "observe",
        args: [[window, 0]],
      });
      const [ours] = await ported.read.meanTicks([[cumulatives[0]!], [cumulatives[1]!], [window]]);
      expect(ours).to.equal(await reference.read.consult([pool.pool, window]));
    }
  });
});
