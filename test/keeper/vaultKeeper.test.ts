import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { parseEventLogs, type Address, type PublicClient } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { movePriceTo } from "../../src/chain/movePriceTo.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { readVaultState } from "../../src/chain/vault/readVaultState.js";
import { keeperConfigSchema, type KeeperConfig } from "../../src/keeper/config/schema.js";
import { fromPureStrategy } from "../../src/keeper/fromPureStrategy.js";
import { keeperStrategies } from "../../src/keeper/keeperStrategies.js";
import type { BlockSummary, StoredSnapshot } from "../../src/keeper/runKeeper.js";
import { startKeeper } from "../../src/keeper/startKeeper.js";
import type { VaultState } from "../../src/keeper/vault/vaultState.js";
import { readMinuteBarsCsv } from "../../src/data/readMinuteBarsCsv.js";
import { passiveStrategy } from "../../src/strategies/passive.js";
import type { PureStrategy } from "../../src/strategies/types.js";
import { decisionsOf } from "../../src/storage/decisions.js";
import { openKeeperDatabase, type KeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { latestSnapshot, snapshotsOf } from "../../src/storage/snapshots.js";
import { transactionsOf } from "../../src/storage/transactions.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import { captureLogs } from "../support/captureLogs.js";
import { dataFile } from "../support/data.js";
import { deployKeeperVaults } from "../support/keeperVaults.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";
import { economicStrategy } from "./fixtures/economicStrategy.js";
import { driftBandStrategy, snapshotDrift } from "./fixtures/driftBandStrategy.js";

const KEEPER_INDEX = 9;
const POOL = MAINNET.pools.usdcWeth005;
const VAULTS = {
  passive: {
    strategy: {
      name: "passive",
      params: { baseThreshold: 60, limitThreshold: 40, period: 300, minTickMove: 20 },
    },
  },
  "econ-pays": {
    strategy: {
      name: "test-economic",
      params: { baseThreshold: 50, limitThreshold: 20, horizonSeconds: 86_400, gasUnits: 600_000 },
    },
  },
  "econ-too-dear": {
    strategy: {
      name: "test-economic",
      params: { baseThreshold: 50, limitThreshold: 20, horizonSeconds: 86_400, gasUnits: 1e15 },
    },
  },
  drift: {
    strategy: {
      name: "test-drift-band",
      params: { band: 0.1, baseThreshold: 100, limitThreshold: 40, swapSlippageTicks: 30 },
    },
  },
} as const;
const NAMES = Object.keys(VAULTS) as (keyof typeof VAULTS)[];
const PURE: Record<string, PureStrategy<unknown, unknown>> = {
  passive: passiveStrategy as PureStrategy<unknown, unknown>,
  "test-economic": economicStrategy as PureStrategy<unknown, unknown>,
  "test-drift-band": driftBandStrategy as PureStrategy<unknown, unknown>,
};
const STRATEGIES = [
  ...keeperStrategies(),
  fromPureStrategy(economicStrategy),
  fromPureStrategy(driftBandStrategy),
];

describe("the keeper with real RangeVaults on the mirror", function () {
  let mirror: ServedMirror;
  let lensAddress: Address;
  let vaults: Address[];
  before(async function () {
    mirror = await serveMirror();
    ({ lens: lensAddress, vaults } = await deployKeeperVaults(mirror.connection, mirror.deployment, {
      pool: POOL,
      tickSpacing: 10,
      token0: MAINNET.usdc,
      token1: MAINNET.weth,
      keeperIndex: KEEPER_INDEX,
      names: NAMES,
      deposit: { amount0: 100_000n * 10n ** 6n, amount1: 44n * 10n ** 18n },
    }));
  });
  after(async function () {
    await mirror?.close();
  });

  function config(
    dbPath: string,
    overrides: Partial<Record<keyof KeeperConfig, unknown>> = {},
  ): KeeperConfig {
    return keeperConfigSchema.parse({
      chainId: 31337,
      rpc: { urls: [mirror.url], timeoutMs: 5_000, retryCount: 2, retryDelayMs: 20, pollingIntervalMs: 15 },
      confirmations: 1,
      signer: { type: "hardhat", index: KEEPER_INDEX },
      vaultLens: lensAddress,
      gas: { replaceAfterMs: 60_000 },
      vaults: NAMES.map((name, i) => ({
        name,
        address: vaults[i],
        pool: POOL,
        ...VAULTS[name],
        tickTolerance: 50,
        risk: { minRebalanceIntervalSeconds: 300, maxRebalancesPerDay: 100 },
      })),
      metrics: { port: 0 },
      database: { path: dbPath },
      ...overrides,
    });
  }

  it("follows a replayed hour of minute closes, deciding every block exactly as its strategy does on the same snapshot", async function () {
    const direct = (await mirror.connection.viem.getPublicClient()) as unknown as PublicClient;
    const testClient = await mirror.connection.viem.getTestClient();
    const [, , trader] = await mirror.connection.viem.getWalletClients();
    const bars = readMinuteBarsCsv(dataFile("mainnet-usdc-weth-005-2024-01-05", "minute.csv")).slice(60, 100);
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-vaults-")), "keeper.sqlite");
    const logs = captureLogs();
    const controller = new AbortController();
    let processed = -1n;
    const summaries: BlockSummary[] = [];
    const running = startKeeper({
      config: config(dbPath),
      strategies: STRATEGIES,
      signal: controller.signal,
      logDestination: logs.destination,
      onBlockDone: (summary) => {
        summaries.push(summary);
        processed = summary.block.number;
      },
    });
    let db: KeeperDatabase | undefined;
    const settle = async (target: bigint) => {
      for (let i = 0; ; i++) {
        if (i > 3_000) throw new Error(`the keeper did not settle block ${target}; last ${processed}`);
        const head = await direct.getBlockNumber({ cacheTime: 0 });
        const caughtUp = processed >= head - 1n;
        if (caughtUp && processed >= target) {
          db ??= openKeeperDatabase({ path: dbPath });
          const pending = NAMES.some((n) => latestSnapshot<StoredSnapshot>(db!, n)?.data.carry.pending);
          if (!pending) return;
        }
        if (caughtUp) await testClient.mine({ blocks: 1 });
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    };
    try {
      await settle(await direct.getBlockNumber());
      for (const bar of bars) {
        await testClient.increaseTime({ seconds: 60 });
        const moved = await movePriceTo(mirror.connection.viem, mirror.deployment, {
          pool: POOL,
          sqrtPriceX96: getSqrtRatioAtTick(bar.closeTick),
          trader: trader!.account.address,
        });
        const block =
          moved.hash === null
            ? await direct.getBlockNumber()
            : (await direct.getTransactionReceipt({ hash: moved.hash })).blockNumber;
        await settle(block);
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\nlast log lines:\n${logs.lines.slice(-10).join("")}`, {
        cause: error,
      });
    } finally {
      controller.abort();
      await running;
      db?.close();
    }

    const check = openKeeperDatabase({ path: dbPath });
    try {
      // Nothing was decided on a block without its confirmation on top.
      for (const summary of summaries)
        expect(
          Number(summary.block.head - summary.block.number),
          `block ${summary.block.number}`,
        ).to.be.at.least(1);
      const outcomes: string[] = [];
      let exactFees = 0;
      for (const [i, name] of NAMES.entries()) {
        const decisions = decisionsOf(check, name);
        const snapshots = snapshotsOf<StoredSnapshot>(check, name);
        const byBlock = new Map(snapshots.map((s) => [s.blockNumber, s.data]));
        const pure = PURE[VAULTS[name].strategy.name]!;
        const params = pure.parseParams(VAULTS[name].strategy.params);
        const counts = { hold: 0, rebalance: 0, blocked: 0 };
        // Every block's decision is the strategy's own on the stored snapshot and memory, nothing added but
        // a risk limit's reason when one blocked it.
        for (const d of decisions) {
          counts[d.action]++;
          const stored = byBlock.get(d.blockNumber)!;
          const own = pure.decide(stored.strategySnapshot!, params, stored.memoryUsed);
          const where = `${name} at block ${d.blockNumber}`;
          expect(d.plan, where).to.deep.equal(own.plan);
          expect(d.trigger, where).to.equal(own.trigger);
          expect(d.economics, where).to.deep.equal(own.economics);
          expect(d.memory, where).to.deep.equal(own.memory);
          expect(d.reasons.slice(0, own.reasons.length), where).to.deep.equal(own.reasons);
          expect(d.reasons.length - own.reasons.length, where).to.equal(d.action === "blocked" ? 1 : 0);
          expect(d.action === "hold", where).to.equal(own.plan === null);
        }
        expect(decisions.length).to.equal(snapshots.length);

        // It rebalanced when, and only when, a decision said so: one mined transaction per rebalance decision,
        // one Rebalance event per mined transaction, with the plan's ranges.
        const events = parseEventLogs({
          abi: rangeVaultAbi,
          logs: await direct.getLogs({ address: vaults[i], fromBlock: 0n }),
        });
        const onChain = events.filter((e) => e.eventName === "Rebalance");
        const transactions = transactionsOf(check, name);
        expect(transactions.map((t) => t.status)).to.deep.equal(transactions.map(() => "mined"));
        const rebalanceDecisions = decisions.filter((d) => d.action === "rebalance");
        expect(transactions.map((t) => t.decisionId)).to.deep.equal(rebalanceDecisions.map((d) => d.id));
        expect(onChain.map((e) => e.transactionHash)).to.deep.equal(transactions.map((t) => t.hash));
        for (const [k, e] of onChain.entries()) {
          const d = rebalanceDecisions[k]!;
          const plan = d.plan as { baseLower: number; baseUpper: number };
          expect([e.args.baseLower, e.args.baseUpper]).to.deep.equal([plan.baseLower, plan.baseUpper]);
          const mined = transactions[k]!.blockNumber!;
          // Its memory goes with the state the rebalance produced: given from the block that holds it on.
          expect(byBlock.get(mined)!.memoryUsed, `${name} memory at block ${mined}`).to.deep.equal(d.memory);

          // The snapshot the plan was priced at is the chain's own at that block.
          const at = d.blockNumber;
          const stored = byBlock.get(at)!;
          const [sqrtPriceX96, tick] = await direct.readContract({
            address: POOL,
            abi: uniswapV3PoolAbi,
            functionName: "slot0",
            blockNumber: at,
          });
          const [[c0, c1]] = await direct.readContract({
            address: POOL,
            abi: uniswapV3PoolAbi,
            functionName: "observe",
            args: [[60, 0]],
            blockNumber: at,
          });
          const delta = c1! - c0!;
          const twap = Number(delta / 60n) - (delta < 0n && delta % 60n !== 0n ? 1 : 0);
          expect(stored.strategySnapshot!.pool).to.deep.include({ sqrtPriceX96, tick, twapTick: twap });
          const lens = await readVaultState(direct, {
            lens: lensAddress,
            vault: vaults[i]!,
            blockNumber: at,
          });
          const v = stored.vaultState as VaultState;
          expect([v.total0, v.total1]).to.deep.equal([lens.total0, lens.total1]);
          expect(stored.strategySnapshot!.vault.total0).to.equal(lens.total0 + v.holderFeesOwed0!);
          expect(stored.strategySnapshot!.vault.total1).to.equal(lens.total1 + v.holderFeesOwed1!);

          // Fees owed, read from the pool's fee growth at the decision's block, are what the rebalance then
          // collected for the holders, to the wei, whenever no swap came in between.
          const collected = events.find(
            (x) => x.eventName === "FeesCollected" && x.transactionHash === e.transactionHash,
          );
          const swapsBetween = parseEventLogs({
            abi: uniswapV3PoolAbi,
            eventName: "Swap",
            logs: await direct.getLogs({ address: POOL, fromBlock: at + 1n, toBlock: mined }),
          }).filter((l) => l.blockNumber < mined || l.logIndex < e.logIndex);
          if (swapsBetween.length === 0) {
            // No FeesCollected event: the vault's ranges had earned nothing (the first rebalance).
            const args = (collected?.args ?? {
              fees0: 0n,
              fees1: 0n,
              protocolFees0: 0n,
              protocolFees1: 0n,
            }) as {
              fees0: bigint;
              fees1: bigint;
              protocolFees0: bigint;
              protocolFees1: bigint;
            };
            expect(
              [args.fees0 - args.protocolFees0, args.fees1 - args.protocolFees1],
              `${name} fees at ${at}`,
            ).to.deep.equal([v.holderFeesOwed0, v.holderFeesOwed1]);
            if (args.fees0 + args.fees1 > 0n) exactFees++;
          }
        }

        if (name === "drift") {
          const band = VAULTS.drift.strategy.params.band;
          for (const row of snapshots) {
            const s = row.data.strategySnapshot!;
            const { drift } = snapshotDrift(s);
            expect(row.data.measurements.drift as number).to.be.closeTo(drift, 1e-9);
            const d = decisions.find((x) => x.blockNumber === row.blockNumber)!;
            // Outside the band only where the strategy is acting on it (or waiting for its rebalance to land).
            if (Math.abs(drift) > band)
              expect(d.trigger, `drift ${drift} at ${row.blockNumber}`).to.equal("drift");
          }
          for (const t of transactions) {
            const after = snapshotDrift(byBlock.get(t.blockNumber!)!.strategySnapshot!).drift;
            expect(Math.abs(after), `drift right after the rebalance at ${t.blockNumber}`).to.be.at.most(
              band,
            );
          }
          expect(decisions.some((d) => d.trigger === "drift" && d.action === "rebalance")).to.equal(true);
        }
        outcomes.push(`${name} ${counts.rebalance}/${counts.blocked}/${counts.hold}`);
      }
      const trigger = (name: string, t: string) => decisionsOf(check, name).filter((d) => d.trigger === t);
      // The economic check decided: the same out-of-range state rebalanced where gas was cheap enough and held
      // where it was not, with its arithmetic recorded.
      expect(trigger("econ-pays", "out-of-range").some((d) => d.action === "rebalance")).to.equal(true);
      const dear = trigger("econ-too-dear", "out-of-range");
      expect(dear.length).to.be.greaterThan(0);
      for (const d of dear) {
        expect(d.action).to.equal("hold");
        expect((d.economics as { net: number }).net).to.be.lessThan(0);
      }
      expect(exactFees).to.be.greaterThan(0);
      console.log(
        `      ${bars.length} minutes, ${summaries.length} blocks; rebalance/blocked/hold: ${outcomes.join(", ")}; ${exactFees} fee reads matched the collected fees to the wei`,
      );
    } finally {
      check.close();
    }
  });
});
