import { CurrencyAmount, Token } from "@uniswap/sdk-core";
import { computePoolAddress, Pool, Position } from "@uniswap/v3-sdk";
import { expect } from "chai";
import { erc20Abi, getAddress, maxUint256, parseEther, parseEventLogs, parseUnits } from "viem";

import {
  nonfungiblePositionManagerAbi,
  swapRouterAbi,
  uniswapV3PoolAbi,
} from "../../src/chain/abi/uniswap.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { POOL_SEEDS } from "../../src/chain/mirror/seed.js";
import { movePriceTo, PriceTargetNotReachedError } from "../../src/chain/movePriceTo.js";
import { uniswapContracts } from "../../src/chain/uniswap.js";
import { dataFile, readCsvRows } from "../support/data.js";
import { OnchainTickDataProvider } from "../support/onchainTicks.js";
import { describeOnTargets } from "../support/targets.js";

const USDC = new Token(1, MAINNET.usdc, 6, "USDC");
const WETH = new Token(1, MAINNET.weth, 18, "WETH");

describeOnTargets("Uniswap v3 at mainnet addresses", (ctx) => {
  async function sdkPool(address: `0x${string}`) {
    const publicClient = await ctx().connection.viem.getPublicClient();
    const pool = (await uniswapContracts(ctx().connection.viem, ctx().deployment)).pool(address);
    const [[sqrtPriceX96, tick], liquidity, fee] = await Promise.all([
      pool.read.slot0(),
      pool.read.liquidity(),
      pool.read.fee(),
    ]);
    const ticks = new OnchainTickDataProvider(publicClient as never, address);
    return new Pool(USDC, WETH, fee, sqrtPriceX96.toString(), liquidity.toString(), tick, ticks);
  }

  it("puts both USDC/WETH pools at their mainnet addresses, equal to the SDK's computePoolAddress", async function () {
    const { factory } = await uniswapContracts(ctx().connection.viem, ctx().deployment);
    for (const [name, fee] of [
      ["usdcWeth005", 500],
      ["usdcWeth03", 3000],
    ] as const) {
      const onchain = getAddress(await factory.read.getPool([MAINNET.usdc, MAINNET.weth, fee]));
      const sdk = computePoolAddress({ factoryAddress: MAINNET.factory, tokenA: USDC, tokenB: WETH, fee });
      expect(onchain, name).to.equal(MAINNET.pools[name]);
      expect(getAddress(sdk), name).to.equal(MAINNET.pools[name]);
    }
  });

  it("mints through NonfungiblePositionManager exactly what the SDK's Position predicts", async function () {
    const { connection, deployment } = ctx();
    const [wallet] = await connection.viem.getWalletClients();
    const publicClient = await connection.viem.getPublicClient();
    for (const token of [deployment.usdc, deployment.weth]) {
      await publicClient.waitForTransactionReceipt({
        hash: await wallet!.writeContract({
          address: token,
          abi: erc20Abi,
          functionName: "approve",
          args: [deployment.positionManager, maxUint256],
        }),
      });
    }
    const pool = await sdkPool(deployment.pools.usdcWeth005);
    const cases = [
      { lower: pool.tickCurrent - 600, upper: pool.tickCurrent + 400, liquidity: 10n ** 15n + 12_345n },
      { lower: pool.tickCurrent - 10, upper: pool.tickCurrent + 10, liquidity: 987_654_321_987n },
      { lower: pool.tickCurrent + 50, upper: pool.tickCurrent + 3000, liquidity: 3n * 10n ** 16n }, // above: USDC only
      { lower: pool.tickCurrent - 5000, upper: pool.tickCurrent - 20, liquidity: 7n * 10n ** 14n }, // below: WETH only
    ];
    for (const c of cases) {
      const tickLower = Math.floor(c.lower / 10) * 10;
      const tickUpper = Math.floor(c.upper / 10) * 10;
      const wanted = new Position({ pool, tickLower, tickUpper, liquidity: c.liquidity.toString() })
        .mintAmounts;
      const hash = await wallet!.writeContract({
        address: deployment.positionManager,
        abi: nonfungiblePositionManagerAbi,
        functionName: "mint",
        args: [
          {
            token0: deployment.usdc,
            token1: deployment.weth,
            fee: 500,
            tickLower,
            tickUpper,
            amount0Desired: BigInt(wanted.amount0.toString()),
            amount1Desired: BigInt(wanted.amount1.toString()),
            amount0Min: 0n,
            amount1Min: 0n,
            recipient: wallet!.account.address,
            deadline: maxUint256,
          },
        ],
      });
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      const [minted] = parseEventLogs({
        abi: nonfungiblePositionManagerAbi,
        eventName: "IncreaseLiquidity",
        logs: receipt.logs,
      });
      // The manager turns amounts into liquidity (LiquidityAmounts) and pays for that liquidity (rounded up):
      // the SDK must agree on both steps.
      const fromAmounts = Position.fromAmounts({
        pool,
        tickLower,
        tickUpper,
        amount0: wanted.amount0,
        amount1: wanted.amount1,
        useFullPrecision: true,
      });
      expect(minted!.args.liquidity, `liquidity ${tickLower}..${tickUpper}`).to.equal(
        BigInt(fromAmounts.liquidity.toString()),
      );
      const paid = new Position({ pool, tickLower, tickUpper, liquidity: minted!.args.liquidity.toString() })
        .mintAmounts;
      expect(minted!.args.amount0).to.equal(BigInt(paid.amount0.toString()));
      expect(minted!.args.amount1).to.equal(BigInt(paid.amount1.toString()));
      expect(minted!.args.liquidity >= c.liquidity).to.equal(true);
    }
  });

  it("swaps through SwapRouter exactly what the SDK's Pool.getOutputAmount predicts, across initialised ticks", async function () {
    const { connection, deployment } = ctx();
    const [wallet] = await connection.viem.getWalletClients();
    const publicClient = await connection.viem.getPublicClient();
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
    // Small, medium and large enough to cross the mirror's ±100-tick ladder edge, both directions.
    const swaps = [
      { tokenIn: USDC, amount: parseUnits("2500", 6) },
      { tokenIn: WETH, amount: parseEther("1.5") },
      { tokenIn: USDC, amount: parseUnits("4000000", 6) },
      { tokenIn: WETH, amount: parseEther("900") },
    ];
    for (const [poolName, fee] of [
      ["usdcWeth005", 500],
      ["usdcWeth03", 3000],
    ] as const) {
      const startTick = (await sdkPool(deployment.pools[poolName])).tickCurrent;
      let widestMove = 0;
      for (const { tokenIn, amount } of swaps) {
        const pool = await sdkPool(deployment.pools[poolName]);
        const [expectedOut, after] = await pool.getOutputAmount(
          CurrencyAmount.fromRawAmount(tokenIn, amount.toString()),
        );
        const tokenOut = tokenIn === USDC ? WETH : USDC;
        const hash = await wallet!.writeContract({
          address: deployment.swapRouter,
          abi: swapRouterAbi,
          functionName: "exactInputSingle",
          args: [
            {
              tokenIn: tokenIn.address as `0x${string}`,
              tokenOut: tokenOut.address as `0x${string}`,
              fee,
              recipient: wallet!.account.address,
              deadline: maxUint256,
              amountIn: amount,
              amountOutMinimum: 0n,
              sqrtPriceLimitX96: 0n,
            },
          ],
        });
        const receipt = await publicClient.waitForTransactionReceipt({ hash });
        const [swap] = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Swap", logs: receipt.logs });
        const out = tokenIn === USDC ? -swap!.args.amount1 : -swap!.args.amount0;
        const label = `${poolName} ${amount} ${tokenIn.symbol}`;
        expect(out, label).to.equal(BigInt(expectedOut.quotient.toString()));
        expect(swap!.args.sqrtPriceX96, label).to.equal(BigInt(after.sqrtRatioX96.toString()));
        expect(swap!.args.tick, label).to.equal(after.tickCurrent);
        expect(swap!.args.liquidity, label).to.equal(BigInt(after.liquidity.toString()));
        widestMove = Math.max(widestMove, Math.abs(swap!.args.tick - startTick));
      }
      // The large swaps must have left the innermost ladder range, so initialised ticks were crossed.
      expect(widestMove, poolName).to.be.greaterThan(100);
    }
  });

  it("moves a pool's price to an exact target with movePriceTo, in both directions", async function () {
    const { connection, deployment } = ctx();
    const [wallet] = await connection.viem.getWalletClients();
    const trader = wallet!.account.address;
    const pool = (await uniswapContracts(connection.viem, deployment)).pool(deployment.pools.usdcWeth005);
    const [start] = await pool.read.slot0();
    for (const target of [(start * 1003n) / 1000n, (start * 995n) / 1000n, start]) {
      const moved = await movePriceTo(connection.viem, deployment, {
        pool: deployment.pools.usdcWeth005,
        sqrtPriceX96: target,
        trader,
      });
      const [now] = await pool.read.slot0();
      expect(now).to.equal(target);
      expect(moved.sqrtPriceX96).to.equal(target);
    }
  });
});

describe("mainnet mirror state", function () {
  // These check the mirror against the recorded data; a fork has mainnet's own state instead.
  let ctx: Awaited<ReturnType<typeof import("../../src/chain/connectUniswap.js").connectUniswap>>;

  before(async function () {
    const { network } = await import("hardhat");
    const { connectUniswap } = await import("../../src/chain/connectUniswap.js");
    ctx = await connectUniswap(network, "mirror");
  });

  after(async () => ctx.connection.close());

  for (const [name, folder] of [
    ["usdcWeth005", "mainnet-usdc-weth-005-2024-01-05"],
    ["usdcWeth03", "mainnet-usdc-weth-03-2024-01-05"],
  ] as const) {
    it(`starts ${name} at the first recorded price of 2024-01-05 with the recorded active liquidity`, async function () {
      const [first] = readCsvRows(dataFile(folder, "pool.tick.csv"), 1);
      const pool = (await uniswapContracts(ctx.connection.viem, ctx.deployment)).pool(
        ctx.deployment.pools[name],
      );
      const [[sqrtPriceX96, tick, , cardinality], liquidity] = await Promise.all([
        pool.read.slot0(),
        pool.read.liquidity(),
      ]);
      expect(sqrtPriceX96).to.equal(BigInt(first!.sqrtPriceX96!));
      expect(tick).to.equal(Number(first!.current_tick));
      expect(liquidity).to.equal(BigInt(first!.total_liquidity!));
      expect(POOL_SEEDS[name].sqrtPriceX96).to.equal(BigInt(first!.sqrtPriceX96!));
      expect(cardinality).to.equal(500);
    });
  }

  it("serves a 30-minute TWAP right after deployment", async function () {
    const pool = (await uniswapContracts(ctx.connection.viem, ctx.deployment)).pool(
      ctx.deployment.pools.usdcWeth005,
    );
    const [tickCumulatives] = await pool.read.observe([[1800, 0]]);
    expect((tickCumulatives[1]! - tickCumulatives[0]!) / 1800n).to.equal(BigInt(POOL_SEEDS.usdcWeth005.tick));
  });

  it("funds every wallet account with USDC and WETH", async function () {
    const publicClient = await ctx.connection.viem.getPublicClient();
    for (const wallet of await ctx.connection.viem.getWalletClients()) {
      const read = (address: `0x${string}`) =>
        publicClient.readContract({
          address,
          abi: erc20Abi,
          functionName: "balanceOf",
          args: [wallet.account.address],
        });
      expect(await read(MAINNET.usdc)).to.equal(10_000_000n * 10n ** 6n);
      expect(await read(MAINNET.weth)).to.equal(parseEther("1000"));
    }
    const read = (address: `0x${string}`, functionName: "symbol" | "decimals") =>
      publicClient.readContract({ address, abi: erc20Abi, functionName });
    expect([await read(MAINNET.usdc, "symbol"), await read(MAINNET.usdc, "decimals")]).to.deep.equal([
      "USDC",
      6,
    ]);
    expect([await read(MAINNET.weth, "symbol"), await read(MAINNET.weth, "decimals")]).to.deep.equal([
      "WETH",
      18,
    ]);
  });

  it("refuses a price target the trader cannot afford, naming the token", async function () {
    const pool = (await uniswapContracts(ctx.connection.viem, ctx.deployment)).pool(
      ctx.deployment.pools.usdcWeth005,
    );
    const [start] = await pool.read.slot0();
    const poor = "0x000000000000000000000000000000000000bEEF";
    const testClient = await ctx.connection.viem.getTestClient();
    await testClient.impersonateAccount({ address: poor });
    await testClient.setBalance({ address: poor, value: parseEther("1") });
    const err = await movePriceTo(ctx.connection.viem, ctx.deployment, {
      pool: ctx.deployment.pools.usdcWeth005,
      sqrtPriceX96: start / 2n,
      trader: poor,
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(PriceTargetNotReachedError);
    expect((err as Error).message).to.include(MAINNET.usdc);
    expect((await pool.read.slot0())[0]).to.equal(start);
  });
});
