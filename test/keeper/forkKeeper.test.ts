import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { parseEventLogs } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { placeMulticall3 } from "../../src/chain/mirror/placeMulticall3.js";
import { serveJsonRpc } from "../../src/chain/serveJsonRpc.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { keeperConfigSchema } from "../../src/keeper/config/schema.js";
import type { BlockSummary } from "../../src/keeper/runKeeper.js";
import { startKeeper } from "../../src/keeper/startKeeper.js";
import { decisionsOf } from "../../src/storage/decisions.js";
import { openKeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { rebalancesOf } from "../../src/storage/rebalances.js";
import { captureLogs } from "../support/captureLogs.js";
import { deployKeeperVaults } from "../support/keeperVaults.js";
import { until } from "../support/until.js";
import { quote0In1 } from "../support/vaultActions.js";
import { describeOnWbtcWethFork } from "../support/wbtcWethFork.js";

describeOnWbtcWethFork("the keeper on the real WBTC/WETH 0.3 % pool", (ctx) => {
  it("decides a RangeVault's first rebalance from the pool's recorded state and executes it", async function () {
    const fork = ctx();
    const { viem, provider } = fork.connection;
    const direct = await viem.getPublicClient();
    const testClient = await viem.getTestClient();
    const { pool, wbtc, weth, factory } = fork.addresses;
    await placeMulticall3(viem);
    const [sqrtPriceX96] = await direct.readContract({
      address: pool,
      abi: uniswapV3PoolAbi,
      functionName: "slot0",
    });
    const { lens, vaults } = await deployKeeperVaults(fork.connection, { factory } as UniswapDeployment, {
      pool,
      tickSpacing: 60,
      token0: wbtc,
      token1: weth,
      keeperIndex: 7,
      names: ["wbtc-weth"],
      deposit: { amount0: 10n ** 8n, amount1: quote0In1(10n ** 8n, sqrtPriceX96) },
    });
    // One block on top, so the keeper's first confirmed block already holds the deposit.
    await testClient.mine({ blocks: 1 });
    const server = await serveJsonRpc(provider);
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-fork-")), "keeper.sqlite");
    const config = keeperConfigSchema.parse({
      chainId: await direct.getChainId(),
      rpc: { urls: [server.url], timeoutMs: 10_000, retryCount: 2, retryDelayMs: 20, pollingIntervalMs: 20 },
      confirmations: 1,
      signer: { type: "hardhat", index: 7 },
      vaultLens: lens,
      vaults: [
        {
          name: "wbtc-weth",
          address: vaults[0],
          pool,
          strategy: {
            name: "passive",
            params: { baseThreshold: 1200, limitThreshold: 600, period: 3600, minTickMove: 0 },
          },
        },
      ],
      metrics: { enabled: false },
      database: { path: dbPath },
    });
    const logs = captureLogs();
    const controller = new AbortController();
    const summaries: BlockSummary[] = [];
    const running = startKeeper({
      config,
      signal: controller.signal,
      logDestination: logs.destination,
      onBlockDone: (summary) => summaries.push(summary),
    });
    const rebalanced = () => logs.records().some((r) => r.msg === "rebalance mined");
    try {
      await until("the keeper's first block", () => summaries.length > 0);
      await until("the rebalance to be mined and recorded", async () => {
        if (!rebalanced()) await testClient.mine({ blocks: 1 });
        return rebalanced();
      });
    } finally {
      controller.abort();
      await running;
      await server.close();
    }

    const db = openKeeperDatabase({ path: dbPath });
    try {
      const [decision] = decisionsOf(db, "wbtc-weth").filter((d) => d.action === "rebalance");
      const [rebalance] = rebalancesOf(db, "wbtc-weth");
      expect(decision!.trigger).to.equal("initial");
      const summary = summaries.find((s) => s.block.number === decision!.blockNumber)!;
      const snapshot = summary.decisions[0]!;
      // The decision is passive's own on the pool's recorded price, and is what landed on chain.
      const [event] = parseEventLogs({
        abi: rangeVaultAbi,
        eventName: "Rebalance",
        logs: (await direct.getTransactionReceipt({ hash: rebalance!.txHash })).logs,
      });
      const plan = decision!.plan as { baseLower: number; baseUpper: number; limitWidth: number };
      expect([event!.args.baseLower, event!.args.baseUpper]).to.deep.equal([plan.baseLower, plan.baseUpper]);
      const floor = Math.floor(event!.args.tick / 60) * 60;
      expect(plan).to.deep.equal({
        baseLower: floor - 1200,
        baseUpper: floor + 60 + 1200,
        limitWidth: 600,
        swap: null,
      });
      expect(snapshot.decision.reasons).to.deep.equal(["the vault holds no ranges yet"]);
      expect(snapshot.measurements.value as number).to.be.closeTo(
        (2 * Number(quote0In1(10n ** 8n, sqrtPriceX96))) / 1e18,
        0.01,
      );
      expect(rebalance!.costs).to.include.keys("lossAtTwap", "gasCostEth");
      console.log(
        `      rebalanced at tick ${event!.args.tick} into [${plan.baseLower}, ${plan.baseUpper}), gas ${rebalance!.gasUsed}, value ${(snapshot.measurements.value as number).toFixed(4)} WETH`,
      );
    } finally {
      db.close();
    }
  });
});
