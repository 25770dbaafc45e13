import { expect } from "chai";
import {
  encodePacked,
  erc20Abi,
  getAddress,
  hexToBytes,
  keccak256,
  toHex,
  type Address,
  type Hex,
} from "viem";

import { uniswapV3FactoryAbi, uniswapV3PoolAbi } from "../../../src/chain/abi/uniswap.js";
import { MAINNET, MAINNET_WBTC_WETH } from "../../../src/chain/addresses.js";
import { readNpmArtifact } from "../../../src/chain/artifacts.js";
import { MAINNET_FORK_BLOCK } from "../../../src/chain/fork/forkBlock.js";
import {
  RECORDED_STATE_FILE,
  RECORDED_STATE_FOLDER,
} from "../../../src/chain/fork/recordedMainnetSnapshot.js";
import { readPoolStateFile } from "../../../src/data/poolStateFile.js";
import { dataFile } from "../../support/data.js";
import { describeOnWbtcWethFork } from "../../support/wbtcWethFork.js";

// Read in `before`, not at load: a missing data folder then fails with its own clear error, not mocha's.
let state: ReturnType<typeof readPoolStateFile>;
const POOL = MAINNET_WBTC_WETH.pool;

/**
 * The non-zero values that `code` holds where `template` (an npm artifact's runtime code, whose immutables are
 * zero placeholders pushed by PUSH32) has placeholders, after checking that every other byte is the template's.
 * (A factory's code embeds the pool's init code, whose own placeholders stay zero: they are skipped.)
 */
function immutableValues(template: Hex, code: Hex): Set<bigint> {
  const [t, c] = [hexToBytes(template), hexToBytes(code)];
  expect(c.length, "code length").to.equal(t.length);
  const values = new Set<bigint>();
  const placeholder = new Set<number>();
  for (let i = 0; i < t.length; i++) {
    if (t[i]! >= 0x60 && t[i]! <= 0x7f) {
      const size = t[i]! - 0x5f;
      if (size === 32 && t.slice(i + 1, i + 33).every((b) => b === 0)) {
        for (let j = i + 1; j < i + 33; j++) placeholder.add(j);
        const value = BigInt(toHex(c.slice(i + 1, i + 33)));
        if (value !== 0n) values.add(value);
      }
      i += size;
    }
  }
  const differing = [...c.keys()].filter((i) => c[i] !== t[i] && !placeholder.has(i));
  expect(differing, "bytes that differ outside immutable placeholders").to.deep.equal([]);
  return values;
}

describeOnWbtcWethFork(
  "recorded WBTC/WETH snapshot",
  (ctx) => {
    before(function () {
      state = readPoolStateFile(dataFile(RECORDED_STATE_FOLDER, RECORDED_STATE_FILE));
    });
    const read = async <T>(functionName: string, args: unknown[] = []): Promise<T> =>
      (await ctx().connection.viem.getPublicClient()).readContract({
        address: POOL,
        abi: uniswapV3PoolAbi,
        functionName,
        args,
      } as never) as Promise<T>;

    it("forks block 16,944,668 through the recorded-mainnet server on 127.0.0.1 when MAINNET_RPC_URL is unset", async function () {
      const { source, connection } = ctx();
      if (source.kind !== "snapshot") this.skip();
      expect(source.server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      const block = await (
        await connection.viem.getPublicClient()
      ).getBlock({ blockNumber: MAINNET_FORK_BLOCK });
      expect(block.number).to.equal(16_944_668n);
      // 14 slots of 12 s before the first recorded event of block 16,944,682 (1680235367).
      expect(block.timestamp).to.equal(1_680_235_199n);
      expect(block.baseFeePerGas).to.equal(20_000_000_000n);
    });

    it("reads back slot0, liquidity, fee growth and protocol fees exactly as recorded", async function () {
      const [sqrtPriceX96, tick, index, cardinality, cardinalityNext, feeProtocol, unlocked] =
        await read<[bigint, number, number, number, number, number, boolean]>("slot0");
      expect([sqrtPriceX96, tick, index, cardinality]).to.deep.equal([
        31348122723510866836906548453935473n,
        257779,
        10,
        200,
      ]);
      expect([sqrtPriceX96, tick, index, cardinality]).to.deep.equal([
        state.slot0.sqrtPriceX96,
        state.slot0.tick,
        state.slot0.observationIndex,
        state.slot0.observationCardinality,
      ]);
      // Not recorded, so the snapshot sets cardinalityNext to the cardinality and the protocol fee off (see its
      // provenance); a real RPC has mainnet's own values there.
      if (ctx().source.kind === "snapshot") {
        expect([cardinalityNext, feeProtocol, unlocked]).to.deep.equal([200, 0, true]);
      }
      expect(await read("liquidity")).to.equal(1766665637075101135n);
      expect(await read("feeGrowthGlobal0X128")).to.equal(state.feeGrowthGlobal0X128);
      expect(await read("feeGrowthGlobal1X128")).to.equal(state.feeGrowthGlobal1X128);
      expect(await read("protocolFees")).to.deep.equal([0n, 0n]);
    });

    it("reads back all 600 recorded ticks, every field, and the bitmap bit of each", async function () {
      expect(state.ticks.size).to.equal(600);
      let initialised = 0;
      const words = new Map<number, bigint>();
      for (const [tick, info] of state.ticks) {
        expect(await read("ticks", [tick]), `ticks(${tick})`).to.deep.equal([
          info.liquidityGross,
          info.liquidityNet,
          info.feeGrowthOutside0X128,
          info.feeGrowthOutside1X128,
          info.tickCumulativeOutside,
          info.secondsPerLiquidityOutsideX128,
          info.secondsOutside,
          info.initialized,
        ]);
        const compressed = tick / 60;
        if (!words.has(compressed >> 8))
          words.set(compressed >> 8, await read("tickBitmap", [compressed >> 8]));
        const word = words.get(compressed >> 8)!;
        expect((word >> BigInt(compressed & 255)) & 1n, `bitmap bit of ${tick}`).to.equal(
          info.initialized ? 1n : 0n,
        );
        if (info.initialized) initialised++;
      }
      expect(initialised).to.equal(355);
      expect([...words.keys()]).to.deep.equal([15, 16, 17]);
    });

    it("observes every recorded observation exactly, and the present by the closed form", async function () {
      const publicClient = await ctx().connection.viem.getPublicClient();
      const now = Number((await publicClient.getBlock()).timestamp);
      const ages = state.observations.map((o) => now - o.blockTimestamp);
      const [tickCumulatives, secondsPerLiquidity] = await read<[bigint[], bigint[]]>("observe", [ages]);
      expect(tickCumulatives).to.deep.equal(state.observations.map((o) => o.tickCumulative));
      expect(secondsPerLiquidity).to.deep.equal(
        state.observations.map((o) => o.secondsPerLiquidityCumulativeX128),
      );

      const last = state.observations[state.slot0.observationIndex]!;
      const elapsed = BigInt(now - last.blockTimestamp);
      const [[tickNow], [perLiquidityNow]] = await read<[bigint[], bigint[]]>("observe", [[0]]);
      expect(tickNow).to.equal(last.tickCumulative + BigInt(state.slot0.tick) * elapsed);
      expect(perLiquidityNow).to.equal(
        last.secondsPerLiquidityCumulativeX128 + (elapsed << 128n) / state.liquidity,
      );
      const newest = state.observations[state.slot0.observationIndex]!;
      expect(await read("observations", [state.slot0.observationIndex])).to.deep.equal([
        newest.blockTimestamp,
        newest.tickCumulative,
        newest.secondsPerLiquidityCumulativeX128,
        newest.initialized,
      ]);
    });

    it("reads back all 41 recorded positions by owner and range", async function () {
      expect(state.positions).to.have.length(41);
      for (const p of state.positions) {
        const key = keccak256(
          encodePacked(["address", "int24", "int24"], [p.owner, p.tickLower, p.tickUpper]),
        );
        expect(await read("positions", [key]), `${p.tickLower}..${p.tickUpper}`).to.deep.equal([
          p.liquidity,
          p.feeGrowthInside0LastX128,
          p.feeGrowthInside1LastX128,
          p.tokensOwed0,
          p.tokensOwed1,
        ]);
      }
    });

    it("runs the npm v3-core pool and factory code with exactly the mainnet immutables", async function () {
      expect(await read("factory")).to.equal(MAINNET.factory);
      expect(await read("token0")).to.equal(MAINNET_WBTC_WETH.wbtc);
      expect(await read("token1")).to.equal(MAINNET.weth);
      expect(await read("fee")).to.equal(3000);
      expect(await read("tickSpacing")).to.equal(60);
      expect(await read("maxLiquidityPerTick")).to.equal(state.maxLiquidityPerTick);

      const publicClient = await ctx().connection.viem.getPublicClient();
      const asWord = (address: Address) => BigInt(address);
      const poolCode = (await publicClient.getCode({ address: POOL }))!;
      const poolValues = new Set(
        immutableValues(readNpmArtifact("UniswapV3Pool").deployedBytecode, poolCode),
      );
      // NoDelegateCall's `original` (the pool itself), factory, tokens, fee, tick spacing, max liquidity per tick.
      expect(poolValues).to.deep.equal(
        new Set([
          asWord(POOL),
          asWord(MAINNET.factory),
          asWord(MAINNET_WBTC_WETH.wbtc),
          asWord(MAINNET.weth),
          3000n,
          60n,
          state.maxLiquidityPerTick,
        ]),
      );
      const factoryCode = (await publicClient.getCode({ address: MAINNET.factory }))!;
      const factoryValues = immutableValues(
        readNpmArtifact("UniswapV3Factory").deployedBytecode,
        factoryCode,
      );
      expect(factoryValues).to.deep.equal(new Set([asWord(MAINNET.factory)]));
    });

    it("registers the pool in the factory under both token orders, with mainnet's owner and fee tiers", async function () {
      const publicClient = await ctx().connection.viem.getPublicClient();
      const factory = { address: MAINNET.factory, abi: uniswapV3FactoryAbi } as const;
      for (const [a, b] of [
        [MAINNET_WBTC_WETH.wbtc, MAINNET.weth],
        [MAINNET.weth, MAINNET_WBTC_WETH.wbtc],
      ] as const) {
        const pool = await publicClient.readContract({
          ...factory,
          functionName: "getPool",
          args: [a, b, 3000],
        });
        expect(getAddress(pool)).to.equal(POOL);
      }
      expect(await publicClient.readContract({ ...factory, functionName: "owner" })).to.equal(
        MAINNET_WBTC_WETH.factoryOwner,
      );
      const spacings = [];
      for (const fee of [100, 500, 3000, 10000, 2500]) {
        spacings.push(
          await publicClient.readContract({ ...factory, functionName: "feeAmountTickSpacing", args: [fee] }),
        );
      }
      expect(spacings).to.deep.equal([1, 10, 60, 200, 0]);
    });

    it("holds the pool's recorded balances in WETH9 and in the 8-decimals WBTC stand-in, named as one", async function () {
      const publicClient = await ctx().connection.viem.getPublicClient();
      const token = async (address: Address) =>
        Promise.all(
          (["name", "symbol", "decimals", "totalSupply"] as const).map((functionName) =>
            publicClient.readContract({ address, abi: erc20Abi, functionName }),
          ),
        );
      const balanceOf = (address: Address) =>
        publicClient.readContract({ address, abi: erc20Abi, functionName: "balanceOf", args: [POOL] });
      expect(await balanceOf(MAINNET_WBTC_WETH.wbtc)).to.equal(state.balance0);
      expect(await balanceOf(MAINNET.weth)).to.equal(state.balance1);
      if (ctx().source.kind !== "snapshot") return;
      // The snapshot's tokens: the stand-in's supply is the pool's balance; WETH9's totalSupply is its ether
      // balance, set to back exactly the pool's WETH.
      expect(await token(MAINNET_WBTC_WETH.wbtc)).to.deep.equal([
        "Wrapped BTC (stand-in)",
        "WBTC",
        8,
        332092842493n,
      ]);
      expect(await token(MAINNET.weth)).to.deep.equal([
        "Wrapped Ether",
        "WETH",
        18,
        88885598264154520998851n,
      ]);
    });
  },
  { fundEach: { wbtc: 0n, weth: 0n } },
);
