import { expect } from "chai";
import type { NetworkConnection } from "hardhat/types/network";
import { erc20Abi, maxUint256, parseEther, parseEventLogs, parseUnits } from "viem";

import { swapRouterAbi, uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { LIQUIDITY_LADDER, POOL_SEEDS } from "../../src/chain/mirror/seed.js";
import { getPoolEvents } from "../../src/chain/getPoolEvents.js";
import { readPoolState } from "../../src/chain/readPoolState.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { positionFees } from "../../src/analytics/positionFees.js";
import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { replayPoolEvents } from "../../src/uniswap/replayPoolEvents.js";
import { describeOnTargets } from "../support/targets.js";

/** Lets the first wallet's USDC and WETH be spent by the SwapRouter. */
async function approveRouter(connection: NetworkConnection, deployment: UniswapDeployment): Promise<void> {
  const publicClient = await connection.viem.getPublicClient();
  const [wallet] = await connection.viem.getWalletClients();
  for (const token of [deployment.usdc, deployment.weth]) {
    await publicClient.waitForTransactionReceipt({
      hash: await wallet!.writeContract({
        address: token,
        abi: erc20Abi,
        functionName: "approve",
        args: [deployment.swapRouter, maxUint256],
      }),
    });
  }
}

describeOnTargets("readPoolState", (ctx) => {
  it("reads a live pool into a simulator that then swaps exactly as the pool does, oracle and fees included", async function () {
    const { connection, deployment } = ctx();
    const publicClient = await connection.viem.getPublicClient();
    const testClient = await connection.viem.getTestClient();
    const [wallet] = await connection.viem.getWalletClients();
    const pool = deployment.pools.usdcWeth005;
    const seed = POOL_SEEDS.usdcWeth005;
    // The mirror's ladder positions belong to the position manager, which minted them.
    const ladder = LIQUIDITY_LADDER.filter((r) => r.halfWidth !== null).map(({ halfWidth }) => ({
      owner: deployment.positionManager,
      tickLower: Math.round((seed.tick - halfWidth!) / 10) * 10,
      tickUpper: Math.round((seed.tick + halfWidth!) / 10) * 10,
    }));
    const { state, coveredTicks } = await readPoolState(publicClient, {
      pool,
      words: 2,
      observations: true,
      positions: ladder,
    });
    const sim = new PoolSimulator(state);
    expect([sim.sqrtPriceX96, sim.tick, sim.liquidity]).to.deep.equal([
      state.sqrtPriceX96,
      state.tick,
      state.liquidity,
    ]);
    if (ctx().target === "mirror") {
      expect(sim.initializedTicks()).to.include.members(ladder.flatMap((r) => [r.tickLower, r.tickUpper]));
    }

    await approveRouter(connection, deployment);
    let time = Number((await publicClient.getBlock()).timestamp);
    const trades = [
      // Large enough to leave the ±100-tick ladder range both ways.
      { zeroForOne: true, exactInput: true, amount: parseUnits("6000000", 6) },
      { zeroForOne: false, exactInput: false, amount: parseUnits("5000000", 6) },
      { zeroForOne: false, exactInput: true, amount: parseEther("700") },
      { zeroForOne: true, exactInput: false, amount: parseEther("650") },
    ];
    let crossed = 0;
    for (const { zeroForOne, exactInput, amount } of trades) {
      time += 600;
      await testClient.setNextBlockTimestamp({ timestamp: BigInt(time) });
      sim.setTime(time);
      const [tokenIn, tokenOut] = zeroForOne
        ? [deployment.usdc, deployment.weth]
        : [deployment.weth, deployment.usdc];
      const common = {
        tokenIn,
        tokenOut,
        fee: 500,
        recipient: wallet!.account.address,
        deadline: maxUint256,
        sqrtPriceLimitX96: 0n,
      };
      const hash = exactInput
        ? await wallet!.writeContract({
            address: deployment.swapRouter,
            abi: swapRouterAbi,
            functionName: "exactInputSingle",
            args: [{ ...common, amountIn: amount, amountOutMinimum: 0n }],
          })
        : await wallet!.writeContract({
            address: deployment.swapRouter,
            abi: swapRouterAbi,
            functionName: "exactOutputSingle",
            args: [{ ...common, amountOut: amount, amountInMaximum: maxUint256 }],
          });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [swap] = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Swap", logs: receipt.logs });
      const ours = sim.swap({ zeroForOne, amountSpecified: exactInput ? amount : -amount });
      const { amount0, amount1, sqrtPriceX96, tick, liquidity } = swap!.args;
      expect([ours.amount0, ours.amount1, ours.sqrtPriceX96, ours.tick, ours.liquidity]).to.deep.equal([
        amount0,
        amount1,
        sqrtPriceX96,
        tick,
        liquidity,
      ]);
      expect(tick).to.be.within(coveredTicks.lower, coveredTicks.upper);
      crossed += ours.ticksCrossed;
    }
    if (ctx().target === "mirror")
      expect(crossed, "ladder ticks crossed, down and back up").to.be.at.least(2);

    const read = <F extends "feeGrowthGlobal0X128" | "feeGrowthGlobal1X128">(functionName: F) =>
      publicClient.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName });
    expect([await read("feeGrowthGlobal0X128"), await read("feeGrowthGlobal1X128")]).to.deep.equal([
      sim.feeGrowthGlobal0X128,
      sim.feeGrowthGlobal1X128,
    ]);
    const [ticks, secondsPerLiquidity] = await publicClient.readContract({
      address: pool,
      abi: uniswapV3PoolAbi,
      functionName: "observe",
      args: [[0, 300, 1800, 3000]],
    });
    expect(sim.observe([0, 300, 1800, 3000])).to.deep.equal(
      ticks.map((tickCumulative, i) => ({
        tickCumulative,
        secondsPerLiquidityCumulativeX128: secondsPerLiquidity[i],
      })),
    );

    // Fees owed to each ladder position: the simulator and positionFees over fresh chain reads agree.
    const after = await readPoolState(publicClient, { pool, words: 2, positions: ladder });
    const tickMap = after.state.ticks;
    let earned = 0n;
    for (const [i, range] of ladder.entries()) {
      const fees = positionFees({
        ...range,
        tickCurrent: after.state.tick,
        feeGrowthGlobal0X128: after.state.feeGrowthGlobal0X128,
        feeGrowthGlobal1X128: after.state.feeGrowthGlobal1X128,
        lower: tickMap.get(range.tickLower) ?? null,
        upper: tickMap.get(range.tickUpper) ?? null,
        position: after.state.positions[i]!,
      });
      const simulated = sim.positionFees(range.owner, range.tickLower, range.tickUpper);
      expect(
        { amount0: fees.amount0, amount1: fees.amount1 },
        `fees of [${range.tickLower}, ${range.tickUpper}]`,
      ).to.deep.equal(simulated);
      earned += fees.amount0 + fees.amount1;
    }
    expect(earned > 0n).to.equal(true);
  });
});

describeOnTargets("getPoolEvents", (ctx) => {
  it("decodes a pool's logs from the chain and replays them onto a state read before them, without divergence", async function () {
    const { connection, deployment } = ctx();
    const publicClient = await connection.viem.getPublicClient();
    const testClient = await connection.viem.getTestClient();
    const [wallet] = await connection.viem.getWalletClients();
    const pool = deployment.pools.usdcWeth03;
    const before = await readPoolState(publicClient, { pool, words: 3, observations: true });
    const fromBlock = before.blockNumber + 1n;

    await approveRouter(connection, deployment);
    const common = {
      fee: 3000,
      recipient: wallet!.account.address,
      deadline: maxUint256,
      sqrtPriceLimitX96: 0n,
    };
    const trades = [
      { tokenIn: deployment.usdc, tokenOut: deployment.weth, amountIn: parseUnits("2500000", 6) },
      { tokenIn: deployment.weth, tokenOut: deployment.usdc, amountIn: parseEther("300") },
      { tokenIn: deployment.usdc, tokenOut: deployment.weth, amountIn: parseUnits("40000", 6) },
    ];
    for (const [i, trade] of trades.entries()) {
      await testClient.increaseTime({ seconds: 120 * (i + 1) });
      await publicClient.waitForTransactionReceipt({
        hash: await wallet!.writeContract({
          address: deployment.swapRouter,
          abi: swapRouterAbi,
          functionName: "exactInputSingle",
          args: [{ ...trade, amountOutMinimum: 0n, ...common }],
        }),
      });
    }
    const toBlock = await publicClient.getBlockNumber();
    const events = await getPoolEvents(publicClient, { pool, fromBlock, toBlock });
    expect(events.map((e) => e.type)).to.deep.equal(["swap", "swap", "swap"]);
    const sim = new PoolSimulator(before.state);
    const report = replayPoolEvents(sim, events);
    expect(report.divergence).to.equal(null);
    expect(report.swapKinds.exactInput).to.equal(3);
    const after = await readPoolState(publicClient, { pool, words: 3 });
    expect([
      sim.sqrtPriceX96,
      sim.tick,
      sim.liquidity,
      sim.feeGrowthGlobal0X128,
      sim.feeGrowthGlobal1X128,
    ]).to.deep.equal([
      after.state.sqrtPriceX96,
      after.state.tick,
      after.state.liquidity,
      after.state.feeGrowthGlobal0X128,
      after.state.feeGrowthGlobal1X128,
    ]);
    for (const [tick, info] of after.state.ticks)
      expect(sim.tickState(tick), `tick ${tick}`).to.deep.include(info);
  });
});
