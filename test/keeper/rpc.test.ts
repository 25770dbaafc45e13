import { expect } from "chai";
import { encodeFunctionData, erc20Abi, multicall3Abi, parseEther, type Address, type Hex } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { placeMulticall3 } from "../../src/chain/mirror/placeMulticall3.js";
import type { VaultConfig } from "../../src/keeper/config/schema.js";
import { readPoolInfo } from "../../src/keeper/readPoolInfo.js";
import { readVaultSnapshots } from "../../src/keeper/readVaultSnapshots.js";
import { createKeeperClient } from "../../src/keeper/rpc/createKeeperClient.js";
import {
  encodeAggregate3,
  readContractsAtBlock,
  ReadBlockStateError,
} from "../../src/keeper/rpc/readContractsAtBlock.js";
import { startFlakyRpcProxy } from "../support/flakyRpcProxy.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";

const client = (urls: string[], extra: Partial<Parameters<typeof createKeeperClient>[0]> = {}) =>
  createKeeperClient({
    urls,
    timeoutMs: 2_000,
    retryCount: 0,
    retryDelayMs: 10,
    pollingIntervalMs: 50,
    ...extra,
  });

describe("keeper RPC access on the mirror", function () {
  let mirror: ServedMirror;
  before(async function () {
    mirror = await serveMirror();
  });
  after(async function () {
    await mirror?.close();
  });

  it("has Multicall3 at its canonical address, answering aggregate3 and its block helpers", async function () {
    const { client: c } = client([mirror.url]);
    expect(await c.getCode({ address: MAINNET.multicall3 })).to.have.length.greaterThan(5_000);
    const block = await c.getBlock();
    const [number, balance] = await readContractsAtBlock(c, {
      blockHash: block.hash,
      contracts: [
        {
          address: MAINNET.multicall3,
          abi: [
            {
              type: "function",
              name: "getBlockNumber",
              stateMutability: "view",
              inputs: [],
              outputs: [{ type: "uint256" }],
            },
          ],
          functionName: "getBlockNumber",
        },
        {
          address: MAINNET.weth,
          abi: erc20Abi,
          functionName: "balanceOf",
          args: [(await mirror.connection.viem.getWalletClients())[0]!.account.address],
        },
      ],
    });
    expect(number).to.deep.equal({ status: "success", result: block.number });
    expect(balance).to.deep.equal({ status: "success", result: parseEther("1000") });
    // Placing it again is harmless (tests and forks may already have it).
    await placeMulticall3(mirror.connection.viem);
  });

  it("reads 1, 10, 100 and 1,000 contracts at a block in one request each, failures isolated", async function () {
    const { client: c, counter } = client([mirror.url]);
    const block = await c.getBlock();
    const accounts = (await mirror.connection.viem.getWalletClients()).map((w) => w.account.address);
    const figures: string[] = [];
    for (const n of [1, 10, 100, 1_000]) {
      // Distinct calls (an account's balance of a token is asked once), each a few thousand gas.
      const contracts = Array.from({ length: n }, (_, i) =>
        i % 10 === 9
          ? {
              address: MAINNET.pools.usdcWeth005 as Address,
              abi: uniswapV3PoolAbi,
              functionName: "observe",
              args: [[i, 0]],
              gas: 10_000,
            }
          : {
              address: i % 2 ? MAINNET.usdc : MAINNET.weth,
              abi: erc20Abi,
              functionName: "balanceOf",
              args: [`0x${(i + 1).toString(16).padStart(40, "0")}`],
              gas: 5_000,
            },
      );
      const before = counter.total;
      const results = await readContractsAtBlock(c, { contracts, blockHash: block.hash });
      figures.push(`${n} contracts: ${counter.total - before} request`);
      expect(counter.total - before, `${n} contracts`).to.equal(1);
      expect(results.filter((r) => r.status === "success")).to.have.length(n);
    }
    void accounts;
    console.log(`      ${figures.join("; ")}`);
    const mixed = await readContractsAtBlock(c, {
      blockHash: block.hash,
      contracts: [
        { address: MAINNET.usdc, abi: uniswapV3PoolAbi, functionName: "slot0" }, // not a pool: fails alone
        { address: MAINNET.usdc, abi: erc20Abi, functionName: "decimals" },
      ],
    });
    expect(mixed[0]!.status).to.equal("failure");
    expect(mixed[1]).to.deep.equal({ status: "success", result: 6 });
  });

  it("splits reads over as many eth_calls as the node's gas cap needs, makes a repeated call once, and keeps the order", async function () {
    const { client: c, counter } = client([mirror.url]);
    const block = await c.getBlock();
    const accounts = (await mirror.connection.viem.getWalletClients()).map((w) => w.account.address);
    // 40 distinct balance reads (20 accounts, 2 tokens) of 1M gas each as declared, every one asked for twice.
    const distinct = accounts.slice(0, 20).flatMap((account) =>
      [MAINNET.usdc, MAINNET.weth].map((token) => ({
        address: token as Address,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [account],
        gas: 1_000_000,
      })),
    );
    const contracts = [...distinct, ...distinct.toReversed()];
    const unique = new Set(contracts.map((r) => `${r.address}${r.args[0]}`)).size;
    const before = counter.byMethod.get("eth_call") ?? 0;
    const split = await readContractsAtBlock(c, {
      contracts,
      blockHash: block.hash,
      callGasLimit: 16_777_216,
    });
    // 40 distinct calls of 1M each under a cap of 2^24: three eth_calls (16 + 16 + 8).
    expect(unique).to.equal(40);
    expect((counter.byMethod.get("eth_call") ?? 0) - before).to.equal(3);
    const whole = await readContractsAtBlock(c, { contracts, blockHash: block.hash, callGasLimit: 1e9 });
    expect(split).to.deep.equal(whole);
    expect(split.map((r) => (r as { result: bigint }).result)).to.deep.equal(
      contracts.map((r) => (r.address === MAINNET.usdc ? 10_000_000n * 10n ** 6n : 1_000n * 10n ** 18n)),
    );
  });

  it("refuses to read the state of a block that a reorg removed", async function () {
    const { client: c } = client([mirror.url]);
    const testClient = await mirror.connection.viem.getTestClient();
    const id = await testClient.snapshot();
    await testClient.mine({ blocks: 1 });
    const orphan = await c.getBlock();
    await testClient.revert({ id });
    await testClient.increaseTime({ seconds: 3 });
    await testClient.mine({ blocks: 2 });
    const read = { address: MAINNET.usdc, abi: erc20Abi, functionName: "decimals" };
    let error: unknown;
    try {
      await readContractsAtBlock(c, { blockHash: orphan.hash, contracts: [read] });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(ReadBlockStateError);
    const canonical = await c.getBlock();
    expect(await readContractsAtBlock(c, { blockHash: canonical.hash, contracts: [read] })).to.deep.equal([
      { status: "success", result: 6 },
    ]);
  });

  it("takes a block's snapshot of 1, 10 and 100 vaults in the same two requests", async function () {
    const { client: c, counter } = client([mirror.url]);
    const block = await c.getBlock();
    const ref = {
      number: block.number,
      hash: block.hash,
      timestamp: block.timestamp,
      baseFeePerGas: block.baseFeePerGas ?? null,
    };
    const pools = await readPoolInfo(c, {
      blockHash: block.hash,
      pools: Object.values(MAINNET.pools).map((address) => ({ address, field: "pool" })),
    });
    const perCount: Record<number, number> = {};
    for (const n of [1, 10, 100]) {
      const vaults = Array.from({ length: n }, (_, i) => ({
        name: `v${i}`,
        address: `0x${(i + 1).toString(16).padStart(40, "0")}` as Address,
        pool: i % 2 ? MAINNET.pools.usdcWeth03 : MAINNET.pools.usdcWeth005,
      })) as unknown as VaultConfig[];
      const before = counter.total;
      const snapshots = await readVaultSnapshots(c, { vaults, pools, block: ref });
      perCount[n] = counter.total - before;
      expect(snapshots).to.have.length(n);
      expect(snapshots[0]!.pool.tick).to.equal(199045);
      expect(snapshots[0]!.pool.token0).to.equal(MAINNET.usdc);
    }
    console.log(`      requests per block snapshot: ${JSON.stringify(perCount)}`);
    expect(perCount).to.deep.equal({ 1: 2, 10: 2, 100: 2 });
  });

  it("fails over to the next URL and retries with backoff through a flaky endpoint, counting every attempt", async function () {
    const dead = "http://127.0.0.1:9"; // discard port: nothing listens on loopback there
    const { client: c, counter } = client([dead, mirror.url]);
    expect(await c.getChainId()).to.equal(31337);
    expect(counter.errors).to.equal(1);
    expect(counter.total).to.equal(2);

    const proxy = await startFlakyRpcProxy({
      upstream: mirror.url,
      drop: 0.2,
      delay: 0.1,
      error: 0.2,
      delayMs: 400,
      seed: 7,
    });
    try {
      const flaky = client([proxy.url], { timeoutMs: 200, retryCount: 8, retryDelayMs: 5 });
      for (let i = 0; i < 30; i++)
        expect(await flaky.client.getBlockNumber({ cacheTime: 0 })).to.be.a("bigint");
      const injected = proxy.injected.dropped + proxy.injected.delayed + proxy.injected.errored;
      console.log(
        `      30 reads through the flaky proxy: ${flaky.counter.total} attempts, ${flaky.counter.errors} failed (${JSON.stringify(proxy.injected)})`,
      );
      expect(injected).to.be.greaterThan(5);
      expect(flaky.counter.errors).to.equal(injected);
      expect(flaky.counter.total).to.equal(30 + injected);
    } finally {
      await proxy.close();
    }
  });
});

describe("aggregate3 call data", function () {
  it("is what viem's encodeFunctionData writes, for any number of calls and call data of any length", function () {
    let seed = 1;
    const byte = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256).toString(16).padStart(2, "0");
    const hex = (bytes: number) => `0x${Array.from({ length: bytes }, byte).join("")}` as Hex;
    for (const count of [0, 1, 2, 3, 7, 50]) {
      const calls = Array.from({ length: count }, (_, i) => ({
        target: hex(20) as Address,
        allowFailure: i % 2 === 0,
        callData: hex([0, 4, 31, 32, 33, 36, 68, 100][i % 8]!),
      }));
      expect(encodeAggregate3(calls)).to.equal(
        encodeFunctionData({ abi: multicall3Abi, functionName: "aggregate3", args: [calls] }),
      );
    }
    expect(() =>
      encodeAggregate3([{ target: "0x1234" as Address, allowFailure: true, callData: "0x" }]),
    ).to.throw(/Address "0x1234" is invalid/);
  });
});
