// `npm run bench:keeper`: one keeper over 10, 100 and 500 RangeVaults (each deposited and holding a base and a
// limit range) on the mirror served by `hardhat node:mirror` in a process of its own, so the figures are the
// keeper's: per confirmed block the JSON-RPC requests by method, the decision latency (block state read → each
// vault's decision, in the order vaults are processed) p50/p99, the time to record the block, and the process RSS.
// Latency is measured twice: for a keeper started in this process, and as recorded by a `hardhat keeper` process
// of its own (the keeper as operators run it, whose RSS is the one reported).
// Every block carries a swap, so fee growth, events, EWMA and realised LVR all move. Writes reports/bench/keeper.json.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

import { network } from "hardhat";
import { getAddress, type Address } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { movePriceTo } from "../../src/chain/movePriceTo.js";
import { mainnetDeployment } from "../../src/chain/uniswap.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { centeredRebalance } from "../../src/chain/vault/rebalanceParams.js";
import { keeperConfigSchema } from "../../src/keeper/config/schema.js";
import { createRequestCounter } from "../../src/keeper/rpc/countRequests.js";
import type { BlockSummary } from "../../src/keeper/runKeeper.js";
import { startKeeper } from "../../src/keeper/startKeeper.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import { captureLogs } from "../../test/support/captureLogs.js";
import { deployKeeperVaults } from "../../test/support/keeperVaults.js";
import { runHardhat } from "../../test/support/runHardhat.js";
import { mined } from "../../test/support/vaultPool.js";

/** p50, p99 and max of decision latencies (ms). */
function latencyQuantiles(latencies: number[]): { p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return { p50: quantile(0.5), p99: quantile(0.99), max: sorted.at(-1)! };
}

const SIZES = (process.env.BENCH_KEEPER_SIZES ?? "10,100,500").split(",").map(Number);
const BLOCKS = 20;
// Blocks after the catch-up that are not measured: the JIT compiling the per-vault path.
const WARMUP = 5;
const KEEPER_INDEX = 9;
// One poll per block: the driver mines the next block while the keeper waits out its polling interval.
const POLLING_MS = 400;
// Hardhat's chain (Osaka) caps an eth_call at 2^24 gas, as EIP-7825 caps a transaction.
const CALL_GAS_LIMIT = 2 ** 24;

const node = runHardhat(["node:mirror", "--port", "0"]);
const [, url] = (await node.waitFor(/JSON-RPC at (http:\/\/127\.0\.0\.1:\d+)/, 120_000)) as unknown as [
  string,
  string,
];
const connection = await network.create({ network: "localhost", override: { url } });
const deployment = mainnetDeployment("mirror");
try {
  const { viem } = connection;
  const started = performance.now();
  const vaults: { address: Address; pool: Address }[] = [];
  let lens: Address | undefined;
  for (const [pool, tickSpacing] of [
    [MAINNET.pools.usdcWeth005, 10],
    [MAINNET.pools.usdcWeth03, 60],
  ] as const) {
    const deployed = await deployKeeperVaults(connection, deployment, {
      pool,
      tickSpacing,
      token0: MAINNET.usdc,
      token1: MAINNET.weth,
      keeperIndex: KEEPER_INDEX,
      names: Array.from({ length: Math.max(...SIZES) / 2 }, (_, i) => `b${tickSpacing}-${i}`),
      deposit: { amount0: 1_000n * 10n ** 6n, amount1: 44n * 10n ** 16n },
    });
    lens ??= deployed.lens;
    const keeper = await viem.getWalletClient(deployed.keeper);
    const [, tick] = await (
      await viem.getPublicClient()
    ).readContract({
      address: pool,
      abi: uniswapV3PoolAbi,
      functionName: "slot0",
    });
    for (const [i, vault] of deployed.vaults.entries()) {
      // Every vault on its own ranges, so no two vaults' fee reads coincide.
      const params = centeredRebalance({
        tick,
        tickSpacing,
        baseHalfWidth: (20 + (i % 80)) * tickSpacing,
        limitWidth: (10 + (i % 40)) * tickSpacing,
        tickTolerance: 10,
        deadline: 2n ** 40n,
      });
      await mined(
        viem,
        await keeper.writeContract({
          address: vault,
          abi: rangeVaultAbi,
          functionName: "rebalance",
          args: [params],
        }),
      );
      vaults.push({ address: vault, pool });
    }
  }
  console.log(
    `${vaults.length} vaults deployed, deposited and rebalanced in ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
  );

  const trader = (await viem.getWalletClients())[2]!.account.address;
  // What this process holds before any keeper runs: Hardhat, viem, the setup's objects (the chain is elsewhere).
  const baselineRssMb = process.memoryUsage().rss / 2 ** 20;
  const testClient = await viem.getTestClient();
  const results = [];
  let step = 0;
  // The trader's first swap each way also approves the router (a block of its own): done before measuring.
  for (const tick of [199_060, 199_045])
    await movePriceTo(viem, deployment, {
      pool: MAINNET.pools.usdcWeth005,
      sqrtPriceX96: getSqrtRatioAtTick(tick),
      trader,
    });
  const configFor = (size: number) =>
    keeperConfigSchema.parse({
      chainId: 31337,
      rpc: {
        urls: [url],
        timeoutMs: 30_000,
        retryCount: 2,
        pollingIntervalMs: POLLING_MS,
        callGasLimit: CALL_GAS_LIMIT,
      },
      confirmations: 1,
      signer: { type: "hardhat", index: KEEPER_INDEX },
      vaultLens: getAddress(lens!),
      vaults: vaults.slice(0, size).map((v, i) => ({
        name: `v${i}`,
        address: v.address,
        pool: v.pool,
        strategy: {
          name: "passive",
          params: { baseThreshold: 600, limitThreshold: 300, period: 86_400, minTickMove: 0 },
        },
      })),
      metrics: { enabled: false },
      database: { path: join(mkdtempSync(join(tmpdir(), "bench-keeper-")), "keeper.sqlite") },
    });
  /**
   * The keeper as operators run it, `hardhat keeper` in a process of its own: its RSS (Prometheus'
   * process_resident_memory_bytes, scraped once) after the same number of blocks, and the decision latencies
   * it recorded itself (decisions.latency_ms, the same span) over the last BLOCKS of them.
   */
  const keeperProcess = async (
    size: number,
  ): Promise<{ rssMb: number; latencyMs: { p50: number; p99: number; max: number } }> => {
    const configFile = join(mkdtempSync(join(tmpdir(), "bench-keeper-process-")), "keeper.json");
    const config = configFor(size);
    writeFileSync(
      configFile,
      JSON.stringify({ ...config, metrics: { enabled: true, host: "127.0.0.1", port: 0 } }),
    );
    const child = runHardhat(["keeper", "--keeper-config", configFile]);
    try {
      const [, metricsUrl] = (await child.waitFor(
        /"metrics":"(http:\/\/127\.0\.0\.1:\d+)"/,
        120_000,
      )) as unknown as [string, string];
      const metric = async (name: string) => {
        const text = await (await fetch(`${metricsUrl}/metrics`)).text();
        const match = new RegExp(`^${name} (\\S+)$`, "m").exec(text);
        return match === null ? null : Number(match[1]);
      };
      // Progress is read from the keeper's own cursor in its database, not from /metrics: rendering every
      // vault's series (about 0.8 MB of text at 500 vaults) every 50 ms is work no Prometheus asks of a keeper,
      // and it alone added some 60 MB to the RSS measured.
      const db = new DatabaseSync(config.database.path, { readOnly: true });
      const cursor = db.prepare("SELECT block_number FROM cursors WHERE name = 'keeper'");
      const lastBlock = () => (cursor.get() as { block_number: number } | undefined)?.block_number ?? -1;
      try {
        const direct = await viem.getPublicClient();
        for (let i = 0; i < WARMUP + BLOCKS + 2; i++) {
          await testClient.increaseTime({ seconds: 12 });
          await movePriceTo(viem, deployment, {
            pool: MAINNET.pools.usdcWeth005,
            sqrtPriceX96: getSqrtRatioAtTick(199_045 + (step++ % 2 === 0 ? 15 : -15)),
            trader,
          });
          const head = await direct.getBlockNumber({ cacheTime: 0 });
          const deadline = Date.now() + 120_000;
          while (lastBlock() < Number(head - 1n)) {
            if (Date.now() > deadline)
              throw new Error(`hardhat keeper: block ${head - 1n} not processed in 120 s`);
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }
        const rows = db.prepare("SELECT block_number, latency_ms FROM decisions ORDER BY id").all() as {
          block_number: number;
          latency_ms: number;
        }[];
        const last = new Set(
          [...new Set(rows.map((r) => r.block_number))].sort((a, b) => a - b).slice(-BLOCKS),
        );
        const latencies = rows.filter((r) => last.has(r.block_number)).map((r) => r.latency_ms);
        return {
          rssMb: (await metric("keeper_process_resident_memory_bytes"))! / 2 ** 20,
          latencyMs: latencyQuantiles(latencies),
        };
      } finally {
        db.close();
      }
    } finally {
      child.child.kill("SIGTERM");
      await child.exited;
    }
  };

  for (const size of SIZES) {
    const config = configFor(size);
    const counter = createRequestCounter();
    // Only the figures: keeping each block's summary would keep every vault's snapshots alive in the driver,
    // old-generation garbage that made this process's GC pauses land in the keeper's decisions.
    const blocks: {
      summary: Pick<BlockSummary, "decideMs" | "recordMs"> & { number: bigint; latencies: number[] };
      requests: Record<string, number>;
      rss: number;
    }[] = [];
    let previous = new Map<string, number>();
    const controller = new AbortController();
    const logs = captureLogs();
    let failure: unknown = null;
    const running = startKeeper({
      config,
      rpcCounter: counter,
      signal: controller.signal,
      logDestination: logs.destination,
      onBlockDone: (summary) => {
        const requests = Object.fromEntries(
          [...counter.byMethod].map(([m, c]) => [m, c - (previous.get(m) ?? 0)]).filter(([, c]) => c !== 0),
        );
        previous = new Map(counter.byMethod);
        blocks.push({
          summary: {
            number: summary.block.number,
            decideMs: summary.decideMs,
            recordMs: summary.recordMs,
            latencies: summary.decisions.map((d) => d.latencyMs),
          },
          requests,
          rss: process.memoryUsage().rss,
        });
      },
    }).catch((error: unknown) => void (failure = error));
    // Each block moves the price by one recorded-size step, up and down.
    const direct = await viem.getPublicClient();
    const caughtUp = async () => {
      const head = await direct.getBlockNumber({ cacheTime: 0 });
      const deadline = Date.now() + 120_000;
      while ((blocks.at(-1)?.summary.number ?? -1n) < head - 1n) {
        if (failure !== null) throw failure as Error;
        if (Date.now() > deadline)
          throw new Error(
            `${size} vaults: block ${head - 1n} not processed in 120 s; the keeper's last log lines:\n${logs.lines.slice(-5).join("")}`,
          );
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    // The keeper starts on the confirmed head (its first block reads every vault in full, twice: their ranges
    // are not known yet); measured blocks start once it has caught up.
    await caughtUp();
    // The block after the catch-up still carries the first poll's requests; then the warm-up.
    const firstMeasured = blocks.length + 1 + WARMUP;
    for (let i = 0; i < WARMUP + BLOCKS + 1; i++) {
      const tick = 199_045 + (step++ % 2 === 0 ? 15 : -15);
      await testClient.increaseTime({ seconds: 12 });
      await movePriceTo(viem, deployment, {
        pool: MAINNET.pools.usdcWeth005,
        sqrtPriceX96: getSqrtRatioAtTick(tick),
        trader,
      });
      // Wait until the keeper has caught up with the confirmed head, so the next block is its only new one.
      await caughtUp();
    }
    controller.abort();
    await running;
    const measured = blocks.slice(firstMeasured, firstMeasured + BLOCKS);
    const latencies = measured.flatMap((b) => b.summary.latencies);
    const methods = [...new Set(measured.flatMap((b) => Object.keys(b.requests)))].sort();
    const perBlock = Object.fromEntries(
      methods.map((m) => [m, measured.reduce((sum, b) => sum + (b.requests[m] ?? 0), 0) / measured.length]),
    );
    const total = measured.map((b) => Object.values(b.requests).reduce((a, c) => a + c, 0));
    const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
    results.push({
      vaults: size,
      blocks: measured.length,
      requestsPerBlock: { ...perBlock, total: mean(total), max: Math.max(...total) } as Record<
        string,
        number
      > & {
        total: number;
        max: number;
      },
      decisionLatencyMs: latencyQuantiles(latencies),
      decideAllMs: mean(measured.map((b) => b.summary.decideMs)),
      recordMs: mean(measured.map((b) => b.summary.recordMs)),
      decideAllMsMax: Math.max(...measured.map((b) => b.summary.decideMs)),
      inProcessRssMb: Math.max(...measured.map((b) => b.rss)) / 2 ** 20,
      ...(await keeperProcess(size).then((k) => ({
        keeperProcessRssMb: k.rssMb,
        keeperProcessDecisionLatencyMs: k.latencyMs,
      }))),
    });
    console.log(`${size} vaults: ${measured.length} blocks measured`);
  }

  const fmt = (x: number, digits = 2) => x.toFixed(digits);
  const header = [
    "vaults",
    "blocks",
    "req/block (max)",
    "getBlockByNumber",
    "eth_call",
    "eth_getLogs",
    "latency p50 ms",
    "p99 ms",
    "decide all ms (max)",
    "record ms",
    "keeper p50 ms",
    "keeper p99 ms",
    "keeper RSS MB",
  ];
  const rows = results.map((r) => [
    String(r.vaults),
    String(r.blocks),
    `${fmt(r.requestsPerBlock.total)} (${r.requestsPerBlock.max})`,
    fmt(r.requestsPerBlock.eth_getBlockByNumber ?? 0),
    fmt(r.requestsPerBlock.eth_call ?? 0),
    fmt(r.requestsPerBlock.eth_getLogs ?? 0),
    fmt(r.decisionLatencyMs.p50, 3),
    fmt(r.decisionLatencyMs.p99, 3),
    `${fmt(r.decideAllMs, 1)} (${fmt(r.decideAllMsMax, 1)})`,
    fmt(r.recordMs, 1),
    fmt(r.keeperProcessDecisionLatencyMs.p50, 3),
    fmt(r.keeperProcessDecisionLatencyMs.p99, 3),
    fmt(r.keeperProcessRssMb, 0),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  console.log(
    `\nOne keeper, confirmations 1, a swap in every block, one head poll per block (polling ${POLLING_MS} ms); the` +
      `\nmirror runs in its own process. Latency: block state read → each vault's decision (measure, strategy, risk` +
      `\nlimits), vaults in order; "record" is the block's one SQLite transaction after all decisions; ${WARMUP} warm-up` +
      `\nblocks after the catch-up are not measured. These run in this process, beside the driver's Hardhat` +
      `\nconnection and setup heap. "keeper": a \`hardhat keeper\` process of its own over the same vaults and as` +
      `\nmany blocks, as operators run it: the latencies it recorded over the last ${BLOCKS} and its RSS` +
      `\n(process_resident_memory_bytes).\n`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  const big = results.at(-1)!;
  const failures = [
    ...results
      .filter((r) => r.requestsPerBlock.max > 3)
      .map((r) => `${r.vaults} vaults: ${r.requestsPerBlock.max} requests in a block`),
    ...(big.decisionLatencyMs.p99 >= 20
      ? [`p99 latency ${fmt(big.decisionLatencyMs.p99)} ms at ${big.vaults} vaults (in process)`]
      : []),
    ...(big.keeperProcessDecisionLatencyMs.p99 >= 20
      ? [
          `p99 latency ${fmt(big.keeperProcessDecisionLatencyMs.p99)} ms at ${big.vaults} vaults (hardhat keeper)`,
        ]
      : []),
    ...results
      .filter((r) => r.keeperProcessRssMb >= 300)
      .map((r) => `${r.vaults} vaults: RSS ${fmt(r.keeperProcessRssMb, 0)} MB`),
  ];
  console.log(
    failures.length === 0
      ? `\ntargets met: ≤ 3 requests per block whatever the number of vaults, p99 < 20 ms at ${big.vaults} vaults, RSS < 300 MB`
      : `\ntargets missed: ${failures.join("; ")}`,
  );
  mkdirSync("reports/bench", { recursive: true });
  writeFileSync(
    "reports/bench/keeper.json",
    `${JSON.stringify(
      {
        setup: {
          chain: "mirror (hardhat node:mirror in its own process)",
          vaults: "RangeVaults on USDC/WETH 0.05 % and 0.3 %, deposited, holding base and limit ranges",
          strategy: "passive (holds: its period has not passed)",
          confirmations: 1,
          pollingIntervalMs: POLLING_MS,
          callGasLimit: CALL_GAS_LIMIT,
          blocksMeasured: BLOCKS,
          warmupBlocks: WARMUP,
          inProcessBaselineRssMb: baselineRssMb,
        },
        results,
        targets: { requestsPerBlockAtMost: 3, p99DecisionLatencyMsBelow: 20, rssMbBelow: 300 },
      },
      null,
      2,
    )}\n`,
  );
  console.log("wrote reports/bench/keeper.json");
} finally {
  await connection.close();
  node.child.kill("SIGTERM");
  await node.exited;
}
