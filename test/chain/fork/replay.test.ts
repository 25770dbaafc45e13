import { Token } from "@uniswap/sdk-core";
import { Pool, Position, TickMath } from "@uniswap/v3-sdk";
import { expect } from "chai";
import {
  decodeFunctionResult,
  encodeFunctionData,
  encodePacked,
  keccak256,
  numberToHex,
  parseEther,
  parseEventLogs,
  type Address,
  type Hex,
  type Log,
} from "viem";

import { uniswapV3PoolAbi, weth9Abi } from "../../../src/chain/abi/uniswap.js";
import { MAINNET, MAINNET_WBTC_WETH } from "../../../src/chain/addresses.js";
import {
  RECORDED_EVENTS_FILE,
  RECORDED_STATE_FILE,
  RECORDED_STATE_FOLDER,
} from "../../../src/chain/fork/recordedMainnetSnapshot.js";
import { fundWbtcWethAccount } from "../../../src/chain/fork/fundWbtcWethAccount.js";
import { setErc20Balance } from "../../../src/chain/setErc20Balance.js";
import {
  readPoolEventsFile,
  readPoolStateFile,
  type BurnEventRecord,
  type MintEventRecord,
  type SwapEventRecord,
} from "../../../src/data/poolStateFile.js";
import { dataFile } from "../../support/data.js";
import { describeOnWbtcWethFork } from "../../support/wbtcWethFork.js";

// Read in `before`, not at load: a missing data folder then fails with its own clear error, not mocha's.
let events: ReturnType<typeof readPoolEventsFile>["events"];
let start: ReturnType<typeof readPoolStateFile>;
let end: ReturnType<typeof readPoolStateFile>;
const POOL = MAINNET_WBTC_WETH.pool;
const WBTC = new Token(1, MAINNET_WBTC_WETH.wbtc, 8, "WBTC");
const WETH = new Token(1, MAINNET.weth, 18, "WETH");
const MIN_SQRT_RATIO = BigInt(TickMath.MIN_SQRT_RATIO.toString());
const MAX_SQRT_RATIO = BigInt(TickMath.MAX_SQRT_RATIO.toString());

describeOnWbtcWethFork(
  "replay of the recorded WBTC/WETH events of blocks 16,944,669–16,951,788",
  (ctx) => {
    before(function () {
      ({ events } = readPoolEventsFile(dataFile(RECORDED_STATE_FOLDER, RECORDED_EVENTS_FILE)));
      start = readPoolStateFile(dataFile(RECORDED_STATE_FOLDER, RECORDED_STATE_FILE));
      end = readPoolStateFile(dataFile(RECORDED_STATE_FOLDER, "pool_state_block16951788.json"));
    });

    it("replays all 329 swaps, with the 19 mints and 31 burns between them, to the recorded amounts, prices, ticks and liquidity", async function () {
      expect(events.filter((e) => e.method === "SWAP")).to.have.length(329);
      const { connection } = ctx();
      const { viem, provider } = connection;
      const [wallet] = await viem.getWalletClients();
      const from = wallet!.account.address;
      const callee = await viem.deployContract("PoolCallee");
      const calleeAbi = callee.abi;

      // The callee pays every swap and mint: real WETH wrapped by the wallet, the WBTC balance written.
      await fundWbtcWethAccount(viem, from, { wbtc: 0n, weth: parseEther("100000") });
      await wallet!.writeContract({
        address: MAINNET.weth,
        abi: weth9Abi,
        functionName: "transfer",
        args: [callee.address, parseEther("100000")],
      });
      await setErc20Balance(viem, MAINNET_WBTC_WETH.wbtc, callee.address, 10_000n * 10n ** 8n);
      // The recorded positions belong to NonfungiblePositionManager: its burns are sent from its address.
      const testClient = await viem.getTestClient();
      await testClient.impersonateAccount({ address: MAINNET.positionManager });
      await testClient.setBalance({ address: MAINNET.positionManager, value: parseEther("10") });

      const call = async (to: Address, data: Hex) =>
        (await provider.request({ method: "eth_call", params: [{ from, to, data }, "latest"] })) as Hex;
      const send = async (sender: Address, to: Address, data: Hex) => {
        const hash = await provider.request({
          method: "eth_sendTransaction",
          params: [{ from: sender, to, data, gas: numberToHex(3_000_000) }],
        });
        const receipt = (await provider.request({ method: "eth_getTransactionReceipt", params: [hash] })) as {
          status: Hex;
          logs: Log[];
        };
        expect(receipt.status, `transaction ${String(hash)}`).to.equal("0x1");
        return receipt.logs;
      };
      const poolState = async () => {
        const [sqrtPriceX96, tick] = decodeFunctionResult({
          abi: uniswapV3PoolAbi,
          functionName: "slot0",
          data: await call(POOL, encodeFunctionData({ abi: uniswapV3PoolAbi, functionName: "slot0" })),
        });
        const liquidity = decodeFunctionResult({
          abi: uniswapV3PoolAbi,
          functionName: "liquidity",
          data: await call(POOL, encodeFunctionData({ abi: uniswapV3PoolAbi, functionName: "liquidity" })),
        });
        return new Pool(WBTC, WETH, 3000, sqrtPriceX96.toString(), liquidity.toString(), tick);
      };

      const mismatches: string[] = [];
      const check = (label: string, actual: Record<string, unknown>, expected: Record<string, unknown>) => {
        for (const [field, value] of Object.entries(expected)) {
          if (actual[field] !== value)
            mismatches.push(`${label} ${field}: ${String(actual[field])} ≠ recorded ${String(value)}`);
        }
      };
      const kinds = { exactInput: 0, exactOutput: 0, mints: 0, burns: 0 };

      const swap = async (e: SwapEventRecord, label: string) => {
        const zeroForOne = e.amount0 > 0n;
        const limit = zeroForOne ? MIN_SQRT_RATIO + 1n : MAX_SQRT_RATIO - 1n;
        const data = (amountSpecified: bigint) =>
          encodeFunctionData({
            abi: calleeAbi,
            functionName: "swap",
            args: [POOL, zeroForOne, amountSpecified, limit],
          });
        // The record does not say which side was fixed: exact input reproduces it unless the trader fixed the
        // output, whose input then rounds differently; try exact input first, on a call.
        const exactInput = zeroForOne ? e.amount0 : e.amount1;
        const [amount0, amount1, sqrtPriceX96] = decodeFunctionResult({
          abi: calleeAbi,
          functionName: "swap",
          data: await call(callee.address, data(exactInput)),
        });
        const asInput = amount0 === e.amount0 && amount1 === e.amount1 && sqrtPriceX96 === e.sqrtPriceX96;
        kinds[asInput ? "exactInput" : "exactOutput"]++;
        const logs = await send(
          from,
          callee.address,
          data(asInput ? exactInput : zeroForOne ? e.amount1 : e.amount0),
        );
        const [event] = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Swap", logs });
        const { amount0: a0, amount1: a1, sqrtPriceX96: p, tick, liquidity } = event!.args;
        check(
          label,
          { a0, a1, p, tick, liquidity },
          {
            a0: e.amount0,
            a1: e.amount1,
            p: e.sqrtPriceX96,
            tick: e.tick,
            liquidity: e.liquidity,
          },
        );
      };
      const mint = async (e: MintEventRecord, label: string) => {
        kinds.mints++;
        const data = encodeFunctionData({
          abi: calleeAbi,
          functionName: "mint",
          args: [POOL, e.owner, e.tickLower, e.tickUpper, e.amount],
        });
        const [event] = parseEventLogs({
          abi: uniswapV3PoolAbi,
          eventName: "Mint",
          logs: await send(from, callee.address, data),
        });
        const { owner, amount, amount0, amount1 } = event!.args;
        check(
          label,
          { owner, amount, amount0, amount1 },
          { owner: e.owner, amount: e.amount, amount0: e.amount0, amount1: e.amount1 },
        );
      };
      const burn = async (e: BurnEventRecord, label: string) => {
        kinds.burns++;
        // The records' Burn amount0 repeats the liquidity (a defect of the data): token0 is checked against
        // @uniswap/v3-sdk's Position (rounded down, as a burn is), token1 against the record and the SDK.
        const sdk = new Position({
          pool: await poolState(),
          tickLower: e.tickLower,
          tickUpper: e.tickUpper,
          liquidity: e.amount.toString(),
        });
        const data = encodeFunctionData({
          abi: uniswapV3PoolAbi,
          functionName: "burn",
          args: [e.tickLower, e.tickUpper, e.amount],
        });
        const [event] = parseEventLogs({
          abi: uniswapV3PoolAbi,
          eventName: "Burn",
          logs: await send(MAINNET.positionManager, POOL, data),
        });
        const { amount, amount0, amount1 } = event!.args;
        check(
          label,
          { amount, amount0, amount1, sdkAmount1: amount1 },
          {
            amount: e.amount,
            amount0: BigInt(sdk.amount0.quotient.toString()),
            amount1: e.amount1,
            sdkAmount1: BigInt(sdk.amount1.quotient.toString()),
          },
        );
      };

      for (const [i, e] of events.entries()) {
        // Each recorded event is mined alone at its recorded time; events of one block share its timestamp, so
        // the oracle writes once per recorded block, as on mainnet.
        await provider.request({ method: "evm_setNextBlockTimestamp", params: [e.timestamp] });
        const label = `#${i} ${e.method} block ${e.blockNumber}`;
        if (e.method === "SWAP") await swap(e, label);
        else if (e.method === "MINT") await mint(e, label);
        else await burn(e, label);
        if (mismatches.length >= 10) break;
      }
      expect(mismatches).to.deep.equal([]);
      console.log(
        `        replayed ${events.length} events: ${kinds.exactInput} exact-input and ${kinds.exactOutput} exact-output swaps, ` +
          `${kinds.mints} mints, ${kinds.burns} burns; every amount, price, tick and liquidity as recorded`,
      );
      expect(kinds).to.deep.equal({
        exactInput: kinds.exactInput,
        exactOutput: 329 - kinds.exactInput,
        mints: 19,
        burns: 31,
      });
    });

    it("ends at the recorded state of block 16,951,788: price, tick, liquidity, fee growth, ticks, observations, positions' liquidity", async function () {
      const publicClient = await ctx().connection.viem.getPublicClient();
      const read = async <T>(functionName: string, args: unknown[] = []): Promise<T> =>
        publicClient.readContract({
          address: POOL,
          abi: uniswapV3PoolAbi,
          functionName,
          args,
        } as never) as Promise<T>;
      const [sqrtPriceX96, tick, observationIndex, observationCardinality] =
        await read<[bigint, number, number, number]>("slot0");
      expect({ sqrtPriceX96, tick, observationIndex, observationCardinality }).to.deep.equal({
        sqrtPriceX96: 31300451228526319635990843894276850n,
        tick: 257749,
        observationIndex: end.slot0.observationIndex,
        observationCardinality: end.slot0.observationCardinality,
      });
      expect(end.slot0.sqrtPriceX96).to.equal(sqrtPriceX96);
      expect(await read("liquidity")).to.equal(end.liquidity);
      expect(await read("feeGrowthGlobal0X128")).to.equal(end.feeGrowthGlobal0X128);
      expect(await read("feeGrowthGlobal1X128")).to.equal(end.feeGrowthGlobal1X128);

      // Ticks both files record: the end file's range starts one spacing lower, at a tick the start never recorded.
      const compared = [...end.ticks].filter(([t]) => start.ticks.has(t));
      expect(compared).to.have.length(599);
      for (const [t, info] of compared) {
        expect(await read("ticks", [t]), `ticks(${t})`).to.deep.equal(Object.values(info));
      }
      for (const [i, o] of end.observations.entries()) {
        expect(await read("observations", [i]), `observations(${i})`).to.deep.equal(Object.values(o));
      }
      // Positions: liquidity and fee checkpoints as recorded. tokensOwed is not comparable: the manager collects
      // what a burn credits, and Collect events are not in the data, so the replay's owed amounts stay at least
      // the recorded ones.
      for (const p of end.positions) {
        const key = keccak256(
          encodePacked(["address", "int24", "int24"], [p.owner, p.tickLower, p.tickUpper]),
        );
        const [liquidity, inside0, inside1, owed0, owed1] = await read<
          [bigint, bigint, bigint, bigint, bigint]
        >("positions", [key]);
        const label = `position ${p.tickLower}..${p.tickUpper}`;
        expect([liquidity, inside0, inside1], label).to.deep.equal([
          p.liquidity,
          p.feeGrowthInside0LastX128,
          p.feeGrowthInside1LastX128,
        ]);
        expect(owed0 >= p.tokensOwed0 && owed1 >= p.tokensOwed1, label).to.equal(true);
      }
    });
  },
  { fundEach: { wbtc: 0n, weth: 0n }, isolateTests: false, override: { allowBlocksWithSameTimestamp: true } },
);
