import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { erc20Abi, type Address, type PublicClient } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { POOL_SEEDS } from "../../src/chain/mirror/seed.js";
import { movePriceTo } from "../../src/chain/movePriceTo.js";
import { keeperConfigSchema, type KeeperConfig } from "../../src/keeper/config/schema.js";
import { createExecutor } from "../../src/keeper/execute/createExecutor.js";
import { createLogger } from "../../src/keeper/ops/createLogger.js";
import { resolveStrategies } from "../../src/keeper/resolveStrategies.js";
import { createKeeperClient } from "../../src/keeper/rpc/createKeeperClient.js";
import { runKeeper, type BlockSummary } from "../../src/keeper/runKeeper.js";
import { loadSigner } from "../../src/keeper/signer/loadSigner.js";
import type { Measure } from "../../src/keeper/strategy.js";
import { startKeeper } from "../../src/keeper/startKeeper.js";
import { decisionsOf } from "../../src/storage/decisions.js";
import { openKeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { rebalancesOf } from "../../src/storage/rebalances.js";
import { snapshotsOf } from "../../src/storage/snapshots.js";
import { transactionsOf } from "../../src/storage/transactions.js";
import { captureLogs } from "../support/captureLogs.js";
import { startFlakyRpcProxy, type FlakyRpcProxy } from "../support/flakyRpcProxy.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";
import { until } from "../support/until.js";
import { approvalAdapter, rangeExitStrategy } from "./fixtures/rangeExitStrategy.js";

const SEED_TICK = POOL_SEEDS.usdcWeth005.tick; // 199045
const VAULT = "0x000000000000000000000000000000000000dEaD" as Address;
const measure: Measure = (snapshot) => ({
  measurements: {
    drift: 0.125,
    inRange: Math.abs(snapshot.pool.tick - SEED_TICK) < 100,
    value: Number(snapshot.balances.token1) / 1e18,
  },
  strategySnapshot: null,
  state: null,
});

function config(url: string, dbPath: string, overrides: Record<string, unknown> = {}): KeeperConfig {
  return keeperConfigSchema.parse({
    chainId: 31337,
    rpc: { urls: [url], timeoutMs: 250, retryCount: 2, retryDelayMs: 5, pollingIntervalMs: 20 },
    confirmations: 2,
    signer: { type: "hardhat", index: 9 },
    vaultLens: VAULT,
    gas: { replaceAfterMs: 60_000 },
    vaults: [
      {
        name: "v",
        address: VAULT,
        pool: MAINNET.pools.usdcWeth005,
        strategy: { name: "range-exit", params: { lower: SEED_TICK - 100, upper: SEED_TICK + 100 } },
        risk: { minRebalanceIntervalSeconds: 3_600 },
      },
    ],
    metrics: { port: 0 },
    database: { path: dbPath },
    log: { level: "info" },
    ...overrides,
  });
}

describe("the keeper loop on the mirror", function () {
  let mirror: ServedMirror;
  let proxy: FlakyRpcProxy;
  before(async function () {
    mirror = await serveMirror();
    proxy = await startFlakyRpcProxy({
      upstream: mirror.url,
      drop: 0.05,
      delay: 0.03,
      error: 0.05,
      delayMs: 400,
      seed: 11,
    });
  });
  after(async function () {
    await proxy?.close();
    await mirror?.close();
  });

  it("through a flaky RPC: acts once on confirmed state, blocks the next rebalance by its risk limit, serves metrics, and shuts down cleanly", async function () {
    const direct = (await mirror.connection.viem.getPublicClient()) as unknown as PublicClient;
    const testClient = await mirror.connection.viem.getTestClient();
    const [trader] = await mirror.connection.viem.getWalletClients();
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-loop-")), "keeper.sqlite");
    // A key-like path on the RPC URL: the proxy ignores it, the logs must never show it.
    const cfg = config(`${proxy.url}/v2/SECRETKEY123`, dbPath);
    const logs = captureLogs();
    const controller = new AbortController();
    const blocks: { summary: BlockSummary; head: bigint }[] = [];
    let metricsUrl = "";
    const running = startKeeper({
      config: cfg,
      strategies: [rangeExitStrategy],
      adapter: approvalAdapter,
      measure,
      signal: controller.signal,
      logDestination: logs.destination,
      onReady: (ready) => (metricsUrl = ready.metricsUrl!),
      onBlockDone: (summary) => {
        // The real head just after the decision (it can only have grown since). The strict check that nothing is
        // decided on an unconfirmed block is the one on the swap's block below, taken while no block is mined.
        void direct.getBlockNumber({ cacheTime: 0 }).then((head) => blocks.push({ summary, head }));
      },
    });
    const mine = (n: number) => testClient.mine({ blocks: n });
    let swapBlock: bigint | undefined;
    const decided = (action: string) =>
      blocks.some((b) => b.summary.decisions.some((d) => d.action === action));

    try {
      await run();
    } catch (error) {
      const tail = logs.lines.slice(-15).join("");
      throw new Error(`${(error as Error).message}\nlast log lines:\n${tail}`, { cause: error });
    } finally {
      controller.abort();
      await running;
    }
    async function run() {
      await until("the keeper's first block", () => blocks.length >= 1);
      await mine(3);
      await until("the keeper to process the new blocks", () => blocks.length >= 4);
      expect(decided("rebalance")).to.equal(false);

      // Out of range by one swap; the keeper may act only once that block has 2 blocks on top.
      const moved = await movePriceTo(mirror.connection.viem, mirror.deployment, {
        pool: MAINNET.pools.usdcWeth005,
        sqrtPriceX96: (POOL_SEEDS.usdcWeth005.sqrtPriceX96 * 990n) / 1000n,
        trader: trader!.account.address,
      });
      swapBlock = (await direct.getTransactionReceipt({ hash: moved.hash! })).blockNumber;
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(decided("rebalance"), "acted before the swap's block was confirmed").to.equal(false);
      await mine(2);
      await until("a rebalance decision", () => decided("rebalance"));
      const inDb = <T>(read: (db: ReturnType<typeof openKeeperDatabase>) => T): T => {
        const db = openKeeperDatabase({ path: dbPath });
        try {
          return read(db);
        } finally {
          db.close();
        }
      };
      // An attempt whose simulation met an injected fault is refused and decided again on the next block.
      await until("the rebalance transaction to be sent", async () => {
        if (inDb((db) => transactionsOf(db, "v").some((t) => t.status === "sent"))) return true;
        const head = await direct.getBlockNumber({ cacheTime: 0 });
        if (blocks.some((b) => b.summary.block.number >= head - 2n)) await mine(1);
        return false;
      });
      // Mined at once (automine); final once 2 blocks lie on top of it.
      await mine(2);
      await until("the rebalance to be mined and recorded", () =>
        inDb((db) => rebalancesOf(db, "v").length === 1),
      );

      // Further out: the strategy still wants a move, the risk limit (1 h minimum interval) says no.
      await movePriceTo(mirror.connection.viem, mirror.deployment, {
        pool: MAINNET.pools.usdcWeth005,
        sqrtPriceX96: (POOL_SEEDS.usdcWeth005.sqrtPriceX96 * 980n) / 1000n,
        trader: trader!.account.address,
      });
      await mine(3);
      await until("a decision blocked by the minimum interval", () =>
        blocks.some((b) =>
          b.summary.decisions.some(
            (d) => d.action === "blocked" && d.reasons.at(-1)!.startsWith("risk.minRebalanceIntervalSeconds"),
          ),
        ),
      );

      const metrics = await (await fetch(`${metricsUrl}/metrics`)).text();
      const health = await fetch(`${metricsUrl}/health`);
      expect(metricsUrl).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(metrics).to.include('keeper_vault_drift{vault="v"} 0.125');
      expect(metrics).to.include('keeper_vault_in_range{vault="v"} 0');
      expect(metrics).to.match(/keeper_vault_last_rebalance_timestamp_seconds\{vault="v"\} \d{10}/);
      expect(metrics).to.match(/keeper_decision_latency_seconds_count\{vault="v"\} \d+/);
      // A rebalance whose simulation met an injected RPC fault is refused and decided again on the next block.
      expect(metrics).to.match(/keeper_decisions_total\{vault="v",action="rebalance"\} \d+/);
      expect(metrics).to.include('keeper_transactions_total{vault="v",status="mined"} 1');
      expect(metrics).to.match(/keeper_rpc_requests_total\{method="eth_call"\} \d+/);
      expect(metrics).to.match(/keeper_last_confirmed_block \d+/);
      expect(health.status).to.equal(200);
      expect(await health.json()).to.include({ ok: true, dryRun: false });
    }

    // Shut down: server closed, database closed and complete.
    const refused = await fetch(`${metricsUrl}/health`).then(
      () => "answered",
      () => "refused",
    );
    expect(refused).to.equal("refused");
    const db = openKeeperDatabase({ path: dbPath });
    try {
      const decisions = decisionsOf(db, "v");
      expect(decisions.find((d) => d.action === "rebalance")!.blockNumber).to.equal(swapBlock);
      const mined = transactionsOf(db, "v").filter((t) => t.status === "mined");
      expect(mined).to.have.length(1);
      const rebalance = decisions.find((d) => d.id === mined[0]!.decisionId)!;
      expect(rebalance.action).to.equal("rebalance");
      expect(rebalance.reasons[0]).to.match(/^tick \d+ outside \[198945, 199145\)$/);
      const blocked = decisions.filter((d) => d.action === "blocked");
      // Blocks up to the rebalance's own show the vault before it (or were decided while it was in flight);
      // later ones are held back by the interval.
      for (const d of blocked) {
        if (d.blockNumber <= rebalancesOf(db, "v")[0]!.blockNumber)
          expect(d.reasons.at(-1)).to.match(
            /^(the vault's last rebalance \(block \d+\) is not in this block's state yet|a transaction of this vault is already in flight)$/,
          );
        else
          expect(d.reasons.at(-1)).to.match(
            /^risk\.minRebalanceIntervalSeconds: last rebalance \d+ s ago, minimum 3600 s$/,
          );
      }
      expect(blocked.at(-1)!.blockNumber > rebalancesOf(db, "v")[0]!.blockNumber).to.equal(true);
      // The keeper acted on the tick the chain had at that confirmed block (the approval carries it).
      const [, tick] = await direct.readContract({
        address: MAINNET.pools.usdcWeth005,
        abi: uniswapV3PoolAbi,
        functionName: "slot0",
        blockNumber: rebalance.blockNumber,
      });
      const account = (await loadSigner({ signer: { type: "hardhat", index: 9 }, chainId: 31337 })).address;
      expect(
        await direct.readContract({
          address: MAINNET.weth,
          abi: erc20Abi,
          functionName: "allowance",
          args: [account, MAINNET.swapRouter],
        }),
      ).to.equal(BigInt(Math.abs(tick)));
      const tx = mined[0]!;
      // Nothing else was ever signed: a refused attempt signs nothing.
      expect(transactionsOf(db, "v").map((t) => t.status)).to.deep.equal(["mined"]);
      const [recorded] = rebalancesOf(db, "v");
      expect(recorded!.gasCostWei).to.equal(tx!.gasUsed! * tx!.effectiveGasPrice!);
      // Every snapshot is of a block that had 2 confirmations when it was decided on.
      for (const { summary, head } of blocks)
        expect(
          head - summary.block.number >= 2n,
          `block ${summary.block.number} had ${head - summary.block.number} confirmations`,
        ).to.equal(true);
      expect(snapshotsOf(db, "v").length).to.equal(decisions.length);
    } finally {
      db.close();
    }
    const text = logs.lines.join("");
    expect(text).to.not.include("SECRETKEY123");
    expect(logs.records().some((r) => r.msg === "keeper stopped")).to.equal(true);
    expect(logs.records().at(-1)!.msg).to.equal("database closed, metrics server stopped");
    console.log(`      ${blocks.length} blocks, proxy faults ${JSON.stringify(proxy.injected)}`);
  });

  async function runFor(vaultCount: number, range: { lower: number; upper: number }, blocksToMine: number) {
    const testClient = await mirror.connection.viem.getTestClient();
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-scale-")), "keeper.sqlite");
    const cfg = config(mirror.url, dbPath, { dryRun: true });
    // 100 vaults' read is one larger call: give it time on a busy 2-core machine.
    cfg.rpc.timeoutMs = 5_000;
    cfg.vaults = Array.from({ length: vaultCount }, (_, i) => ({
      ...cfg.vaults[0]!,
      name: `v${i}`,
      address: `0x${(i + 1).toString(16).padStart(40, "0")}` as Address,
      pool: i % 2 ? MAINNET.pools.usdcWeth03 : MAINNET.pools.usdcWeth005,
      strategy: { name: "range-exit", params: range },
    }));
    const { client, counter } = createKeeperClient({ ...cfg.rpc, urls: cfg.rpc.urls });
    const db = openKeeperDatabase({ path: dbPath });
    const log = createLogger({ level: "info", destination: captureLogs().destination });
    const account = await loadSigner({ signer: cfg.signer, chainId: 31337 });
    const executor = createExecutor({
      client,
      account,
      chainId: 31337,
      db,
      gas: cfg.gas,
      confirmations: 0,
      pollingIntervalMs: 20,
      dryRun: true,
      log,
    });
    const controller = new AbortController();
    const perBlock: Map<string, number>[] = [];
    let previous = new Map<string, number>();
    const running = runKeeper(client, {
      vaults: resolveStrategies(cfg.vaults, [rangeExitStrategy]),
      db,
      executor,
      adapter: approvalAdapter,
      measure,
      confirmations: 2,
      pollingIntervalMs: 20,
      log,
      signal: controller.signal,
      onBlockDone: () => {
        const now = new Map(counter.byMethod);
        perBlock.push(new Map([...now].map(([m, c]) => [m, c - (previous.get(m) ?? 0)])));
        previous = now;
      },
    });
    try {
      await until("the first block", () => perBlock.length >= 1);
      for (let i = 0; i < blocksToMine; i++) {
        await testClient.mine({ blocks: 1 });
        await until(`block ${i + 2}`, () => perBlock.length >= i + 2);
      }
    } finally {
      controller.abort();
      await running;
    }
    db.close();
    return { perBlock: perBlock.slice(1) };
  }

  it("reads 1, 10 and 100 vaults per confirmed block with the same requests: one eth_call, one eth_getLogs, and the polls", async function () {
    proxy.setFaulty(false);
    const figures: Record<number, Record<string, number>> = {};
    for (const n of [1, 10, 100]) {
      const { perBlock } = await runFor(n, { lower: -887272, upper: 887272 }, 3);
      const methods = new Set(perBlock.flatMap((b) => [...b.keys()]));
      figures[n] = Object.fromEntries(
        [...methods].map((m) => [m, Math.max(...perBlock.map((b) => b.get(m) ?? 0))]),
      );
      for (const [i, counts] of perBlock.entries()) {
        const block = Object.fromEntries([...counts].filter(([, c]) => c > 0));
        // A block's header comes with the poll that saw it as the head: no request of its own.
        expect(block, `${n} vaults, block ${i}`).to.deep.include({ eth_call: 1, eth_getLogs: 1 });
        expect(Object.keys(block).sort(), `${n} vaults, block ${i}`).to.deep.equal([
          "eth_call",
          "eth_getBlockByNumber",
          "eth_getLogs",
        ]);
      }
    }
    console.log(
      `      requests per confirmed block (max over 3 blocks; eth_getBlockByNumber is the head poll, one per polling interval): ${JSON.stringify(figures)}`,
    );
  });
});
