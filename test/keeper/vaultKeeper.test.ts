import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { parseEventLogs, parseGwei, type Address, type Hash, type PublicClient } from "viem";

import { positionFees } from "../../src/analytics/positionFees.js";
import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { movePriceTo } from "../../src/chain/movePriceTo.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { readVaultState } from "../../src/chain/vault/readVaultState.js";
import { keeperConfigSchema, type KeeperConfig } from "../../src/keeper/config/schema.js";
import { fromPureStrategy } from "../../src/keeper/fromPureStrategy.js";
import { keeperStrategies } from "../../src/keeper/keeperStrategies.js";
import { createMeasure } from "../../src/keeper/measure/measureVault.js";
import type { BlockSummary, StoredSnapshot } from "../../src/keeper/runKeeper.js";
import { loadSigner } from "../../src/keeper/signer/loadSigner.js";
import { startKeeper } from "../../src/keeper/startKeeper.js";
import { VaultCheckError } from "../../src/keeper/vault/checkRangeVaults.js";
import type { VaultSnapshot } from "../../src/keeper/snapshot.js";
import { positionKey } from "../../src/keeper/vault/rangeVaultAdapter.js";
import { toVaultState, type VaultState } from "../../src/keeper/vault/vaultState.js";
import { readMinuteBarsCsv, type MinuteBar } from "../../src/data/readMinuteBarsCsv.js";
import { passiveStrategy } from "../../src/strategies/passive.js";
import type { PureStrategy } from "../../src/strategies/types.js";
import { decisionsOf } from "../../src/storage/decisions.js";
import { openKeeperDatabase, type KeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { toJson } from "../../src/storage/json.js";
import { latestSnapshot, snapshotsOf } from "../../src/storage/snapshots.js";
import { transactionsOf } from "../../src/storage/transactions.js";
import { getSqrtRatioAtTick } from "../../src/uniswap/tickMath.js";
import { captureLogs } from "../support/captureLogs.js";
import { dataFile } from "../support/data.js";
import { startFlakyRpcProxy } from "../support/flakyRpcProxy.js";
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
// Read in `before`, not at load: a missing data folder then fails with its own clear error, not mocha's.
let MINUTES: ReturnType<typeof readMinuteBarsCsv>;
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
    MINUTES = readMinuteBarsCsv(dataFile("mainnet-usdc-weth-005-2024-01-05", "minute.csv"));
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
  // Every test starts from the vaults as deployed (deposited, no ranges yet).
  let chainSnapshot: `0x${string}` | undefined;
  beforeEach(async function () {
    const testClient = await mirror.connection.viem.getTestClient();
    if (chainSnapshot !== undefined) await testClient.revert({ id: chainSnapshot });
    chainSnapshot = await testClient.snapshot();
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

  /** A keeper started in-process on `cfg`, and a driver that mines until it has settled a block. */
  function launch(cfg: KeeperConfig) {
    const logs = captureLogs();
    const controller = new AbortController();
    const run = {
      logs,
      processed: -1n,
      summaries: [] as BlockSummary[],
      metricsUrl: "",
      db: undefined as KeeperDatabase | undefined,
    };
    const running = startKeeper({
      config: cfg,
      strategies: STRATEGIES,
      signal: controller.signal,
      logDestination: logs.destination,
      onReady: (ready) => (run.metricsUrl = ready.metricsUrl ?? ""),
      onBlockDone: (summary) => {
        run.summaries.push(summary);
        run.processed = summary.block.number;
      },
    });
    const failed = running.then(
      () => new Error("the keeper stopped"),
      (error: unknown) => error as Error,
    );
    /**
     * Mines a block whenever the keeper has caught up with the confirmed head, until it has processed the
     * canonical block `target` and no vault has a rebalance pending. Block hashes, not numbers, say what was
     * processed, so a reorg cannot fake progress.
     */
    const settle = async (target: bigint, { pending: waitForPending = true } = {}) => {
      const direct = await mirror.connection.viem.getPublicClient();
      const testClient = await mirror.connection.viem.getTestClient();
      const processedHash = (n: bigint) => run.summaries.findLast((x) => x.block.number === n)?.block.hash;
      for (let i = 0; ; i++) {
        if (i > 5_000) throw new Error(`the keeper did not settle block ${target}; last ${run.processed}`);
        const head = await direct.getBlockNumber({ cacheTime: 0 });
        const confirmed = head - BigInt(cfg.confirmations);
        const canonical = async (n: bigint) => (await direct.getBlock({ blockNumber: n })).hash;
        // Nothing left for the keeper on this chain (by number: after a reorg to a shorter chain too).
        const caughtUp = run.processed >= confirmed;
        if (
          caughtUp &&
          processedHash(confirmed) === (await canonical(confirmed)) &&
          target <= confirmed &&
          processedHash(target) === (await canonical(target))
        ) {
          run.db ??= openKeeperDatabase({ path: cfg.database.path });
          const pending = cfg.vaults.some(
            (v) => latestSnapshot<StoredSnapshot>(run.db!, v.name)?.data.carry.pending,
          );
          if (!pending || !waitForPending) return;
        }
        if (caughtUp) await testClient.mine({ blocks: 1 });
        const stopped = await Promise.race([failed, new Promise((resolve) => setTimeout(resolve, 5, null))]);
        if (stopped !== null) throw stopped as Error;
      }
    };
    const stop = async () => {
      controller.abort();
      await running;
      run.db?.close();
    };
    const explain = (error: unknown) =>
      new Error(`${(error as Error).message}\nlast log lines:\n${logs.lines.slice(-10).join("")}`, {
        cause: error,
      });
    return Object.assign(run, { settle, stop, explain });
  }

  /** Moves the pool to each bar's close a minute apart, letting the keeper settle each swap's block. */
  async function replay(bars: readonly MinuteBar[], settle: (block: bigint) => Promise<void>) {
    const direct = await mirror.connection.viem.getPublicClient();
    const testClient = await mirror.connection.viem.getTestClient();
    const trader = (await mirror.connection.viem.getWalletClients())[2]!;
    for (const bar of bars) {
      await testClient.increaseTime({ seconds: 60 });
      const moved = await movePriceTo(mirror.connection.viem, mirror.deployment, {
        pool: POOL,
        sqrtPriceX96: getSqrtRatioAtTick(bar.closeTick),
        trader: trader.account.address,
      });
      await settle(
        moved.hash === null
          ? await direct.getBlockNumber()
          : (await direct.getTransactionReceipt({ hash: moved.hash })).blockNumber,
      );
    }
  }

  it("follows a replayed hour of minute closes, deciding every block exactly as its strategy does on the same snapshot", async function () {
    const direct = (await mirror.connection.viem.getPublicClient()) as unknown as PublicClient;
    const bars = MINUTES.slice(60, 100);
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-vaults-")), "keeper.sqlite");
    const run = launch(config(dbPath));
    const summaries = run.summaries;
    try {
      await run.settle(await direct.getBlockNumber());
      await replay(bars, run.settle);
    } catch (error) {
      throw run.explain(error);
    } finally {
      await run.stop();
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
      let feeBlocks = 0;
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
        // Most blocks' vault state is derived from the last full read (no vault event since): at every block it
        // is the lens's own, field by field, to the wei.
        for (const row of snapshots) {
          const lensNow = await readVaultState(direct, {
            lens: lensAddress,
            vault: vaults[i]!,
            blockNumber: row.blockNumber,
          });
          const fromLens = toVaultState(lensNow, { base: null, limit: null });
          const stored = row.data.vaultState as VaultState;
          const withoutFees = (v: VaultState) => ({
            ...v,
            base: v.base && { ...v.base, feesOwed0: null, feesOwed1: null },
            limit: v.limit && { ...v.limit, feesOwed0: null, feesOwed1: null },
            holderFeesOwed0: null,
            holderFeesOwed1: null,
          });
          expect(toJson(withoutFees(stored)), `${name} at block ${row.blockNumber}`).to.equal(
            toJson(withoutFees(fromLens)),
          );
          // Fees owed, from positions and tick fee growth kept across blocks (ticks read again only when
          // crossed): the same as from the pool's records read afresh at that block.
          const fresh = await Promise.all(
            [stored.base, stored.limit].map(async (r) => {
              if (r === null) return { amount0: 0n, amount1: 0n };
              const at = { address: POOL, abi: uniswapV3PoolAbi, blockNumber: row.blockNumber } as const;
              const [position, lower, upper] = await Promise.all([
                direct.readContract({
                  ...at,
                  functionName: "positions",
                  args: [positionKey(vaults[i]!, r.tickLower, r.tickUpper)],
                }),
                direct.readContract({ ...at, functionName: "ticks", args: [r.tickLower] }),
                direct.readContract({ ...at, functionName: "ticks", args: [r.tickUpper] }),
              ]);
              const pool = row.data.pool;
              return positionFees({
                tickLower: r.tickLower,
                tickUpper: r.tickUpper,
                tickCurrent: pool.tick,
                feeGrowthGlobal0X128: pool.feeGrowthGlobal0X128,
                feeGrowthGlobal1X128: pool.feeGrowthGlobal1X128,
                lower: { feeGrowthOutside0X128: lower[2], feeGrowthOutside1X128: lower[3] },
                upper: { feeGrowthOutside0X128: upper[2], feeGrowthOutside1X128: upper[3] },
                position: {
                  liquidity: position[0],
                  feeGrowthInside0LastX128: position[1],
                  feeGrowthInside1LastX128: position[2],
                  tokensOwed0: position[3],
                  tokensOwed1: position[4],
                },
              });
            }),
          );
          const owed0 = fresh[0]!.amount0 + fresh[1]!.amount0;
          const owed1 = fresh[0]!.amount1 + fresh[1]!.amount1;
          const bps = BigInt(stored.protocolFeeBps);
          expect(
            [stored.holderFeesOwed0, stored.holderFeesOwed1],
            `${name} fees at ${row.blockNumber}`,
          ).to.deep.equal([owed0 - (owed0 * bps) / 10_000n, owed1 - (owed1 * bps) / 10_000n]);
          if (owed0 + owed1 > 0n) feeBlocks++;
        }

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
      expect(feeBlocks).to.be.greaterThan(100);
      // What the keeper derived between full reads never disagreed with a full read.
      expect(run.logs.records().filter((r) => String(r.msg).includes("differs from the lens"))).to.deep.equal(
        [],
      );
      console.log(
        `      ${bars.length} minutes, ${summaries.length} blocks; rebalance/blocked/hold: ${outcomes.join(", ")}; ${exactFees} fee reads matched the collected fees to the wei, ${feeBlocks} blocks' fees owed matched fresh pool reads`,
      );
    } finally {
      check.close();
    }
  });

  it("through a flaky RPC and a reorg below the confirmation depth: acts once, never on unconfirmed or orphaned state, measurements rolled back with the chain", async function () {
    const direct = (await mirror.connection.viem.getPublicClient()) as unknown as PublicClient;
    const testClient = await mirror.connection.viem.getTestClient();
    const proxy = await startFlakyRpcProxy({
      upstream: mirror.url,
      drop: 0.05,
      delay: 0.03,
      error: 0.05,
      delayMs: 400,
      seed: 5,
    });
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-reorg-")), "keeper.sqlite");
    const cfg = config(dbPath, {
      confirmations: 2,
      // A key-like path on the URL: the proxy ignores it, no log line may show it.
      rpc: {
        urls: [`${proxy.url}/v2/SECRETKEY123`],
        timeoutMs: 250,
        retryCount: 0,
        retryDelayMs: 5,
        pollingIntervalMs: 15,
      },
    });
    // After their first rebalance both vaults hold, so the rewritten blocks are measured, not acted on.
    cfg.vaults = cfg.vaults.filter((v) => v.name === "passive" || v.name === "econ-too-dear");
    cfg.vaults[0]!.strategy.params = { ...cfg.vaults[0]!.strategy.params, period: 86_400 };
    const run = launch(cfg);
    let shallowOrphan: Hash;
    const deepOrphans: Hash[] = [];
    let metrics: string | undefined;
    try {
      await run.settle(await direct.getBlockNumber());
      await replay(MINUTES.slice(60, 64), run.settle);

      // One block replaced before it had its 2 confirmations: never read.
      const shallow = await testClient.snapshot();
      await testClient.mine({ blocks: 1 });
      shallowOrphan = (await direct.getBlock()).hash;
      await testClient.revert({ id: shallow });

      // Three confirmed, processed blocks with swaps, then replaced by another history.
      const base = await direct.getBlockNumber();
      const deep = await testClient.snapshot();
      await replay(MINUTES.slice(64, 67), run.settle);
      for (let n = base + 1n; n <= run.processed; n++)
        deepOrphans.push((await direct.getBlock({ blockNumber: n })).hash);
      await testClient.revert({ id: deep });
      await testClient.increaseTime({ seconds: 7 });
      await replay(MINUTES.slice(76, 81), run.settle);
      metrics = await (await fetch(`${run.metricsUrl}/metrics`)).text();
    } catch (error) {
      throw run.explain(error);
    } finally {
      await run.stop();
      await proxy.close();
    }

    const records = run.logs.records();
    const reorgs = records.filter(
      (r) => r.msg === "reorg below the confirmation depth: re-reading from the common ancestor",
    );
    expect(reorgs).to.have.length(1);
    expect(reorgs[0]!.orphanedSnapshots).to.equal(2 * deepOrphans.length);
    expect(metrics).to.include("keeper_reorgs_total 1");
    expect(metrics).to.match(/keeper_vault_value\{vault="passive"\} \d+\.\d+/);
    expect(run.logs.lines.join("")).to.not.include("SECRETKEY123");
    const survived = records.filter((r) => r.msg === "block processing failed; retrying").length;
    const faults = proxy.injected.dropped + proxy.injected.delayed + proxy.injected.errored;
    expect(faults).to.be.greaterThan(10);
    // No retries in the client: failed block reads reach the loop, which reads the block again.
    expect(survived).to.be.greaterThan(0);

    const check = openKeeperDatabase({ path: dbPath });
    try {
      const measure = createMeasure({
        measure: cfg.measure,
        weth: cfg.weth,
        priorityFeePerGas: parseGwei(String(cfg.gas.maxPriorityFeePerGasGwei)),
        maxFeePerGas: parseGwei(String(cfg.gas.maxFeePerGasGwei)),
      });
      for (const v of cfg.vaults) {
        const rows = snapshotsOf<StoredSnapshot>(check, v.name);
        expect(rows.map((r) => r.blockHash)).to.not.include(shallowOrphan!);
        expect(rows.filter((r) => r.orphaned).map((r) => r.blockHash)).to.have.members(deepOrphans);
        const canonical = rows.filter((r) => !r.orphaned);
        // Every block read is on the chain as it is now, and was read with its 2 confirmations on top.
        for (const r of canonical) {
          expect((await direct.getBlock({ blockNumber: r.blockNumber })).hash).to.equal(r.blockHash);
          const summary = run.summaries.find((x) => x.block.hash === r.blockHash)!;
          expect(Number(summary.block.head - summary.block.number)).to.be.at.least(2);
        }
        // The measurements carried at the end are those of the canonical chain alone: recomputed block by
        // block from the canonical snapshots, they agree to the bit; the orphaned prices left no trace.
        let state: unknown = null;
        for (const r of canonical) state = measure(r.data as VaultSnapshot<VaultState>, state).state;
        expect(toJson(state)).to.equal(toJson(canonical.at(-1)!.data.carry.measure));
        const orphanPrices = rows.filter((r) => r.orphaned).map((r) => r.data.measurements.price);
        const sameHeight = canonical.filter((r) =>
          rows.some((o) => o.orphaned && o.blockNumber === r.blockNumber),
        );
        expect(sameHeight.map((r) => r.data.measurements.price)).to.not.deep.equal(orphanPrices);

        // Acted once: its first rebalance, mined once, through every dropped, delayed and failed request.
        const transactions = transactionsOf(check, v.name);
        expect(transactions.map((t) => t.status)).to.deep.equal(["mined"]);
        const onChain = parseEventLogs({
          abi: rangeVaultAbi,
          eventName: "Rebalance",
          logs: await direct.getLogs({ address: cfg.vaults.find((x) => x === v)!.address, fromBlock: 0n }),
        });
        expect(onChain.map((e) => e.transactionHash)).to.deep.equal([transactions[0]!.hash]);
      }
    } finally {
      check.close();
    }
    console.log(
      `      ${run.summaries.length} blocks, reorg of ${deepOrphans.length} confirmed blocks, ${survived} failed block reads retried; proxy ${JSON.stringify(proxy.injected)}`,
    );
  });

  it("in dry-run decides, simulates and signs the rebalance every block but sends nothing, and keeps the strategy's memory", async function () {
    const direct = (await mirror.connection.viem.getPublicClient()) as unknown as PublicClient;
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-dry-")), "keeper.sqlite");
    const cfg = config(dbPath, { dryRun: true });
    cfg.vaults = cfg.vaults.filter((v) => v.name === "econ-pays");
    const sendsBefore = mirror.methods.filter((m) => m === "eth_sendRawTransaction").length;
    const run = launch(cfg);
    try {
      const start = await direct.getBlockNumber();
      // Every block's plan ends as a dry run: there is always one pending, so wait for blocks only.
      await run.settle(start + 4n, { pending: false });
    } catch (error) {
      throw run.explain(error);
    } finally {
      await run.stop();
    }
    expect(mirror.methods.filter((m) => m === "eth_sendRawTransaction").length).to.equal(sendsBefore);
    const state = await readVaultState(direct, { lens: lensAddress, vault: cfg.vaults[0]!.address });
    expect([state.base.liquidity, state.limit.liquidity, state.status.lastRebalance]).to.deep.equal([
      0n,
      0n,
      0,
    ]);
    const check = openKeeperDatabase({ path: dbPath });
    try {
      const decisions = decisionsOf(check, "econ-pays");
      expect(decisions.length).to.be.at.least(3);
      // Each block wants the first rebalance; a block whose predecessor's dry run was still being simulated
      // and signed is held back by the one-in-flight rule.
      expect(decisions.every((d) => d.trigger === "initial" && d.action !== "hold")).to.equal(true);
      const wanted = decisions.filter((d) => d.action === "rebalance");
      expect(wanted.length).to.be.at.least(2);
      const journal = transactionsOf(check, "econ-pays");
      expect(journal.map((t) => t.status)).to.deep.equal(wanted.map(() => "dry-run"));
      expect(journal.map((t) => t.decisionId)).to.deep.equal(wanted.map((d) => d.id));
      // Nothing happened on chain, so the memory the plans returned was never adopted.
      for (const row of snapshotsOf<StoredSnapshot>(check, "econ-pays"))
        expect(row.data.memoryUsed).to.deep.equal({ planned: 0 });
    } finally {
      check.close();
    }
  });

  it("refuses vaults the chain contradicts, and strategies or params it does not know, naming each field, before anything is sent", async function () {
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-refused-")), "keeper.sqlite");
    const sendsBefore = mirror.methods.filter((m) => m === "eth_sendRawTransaction").length;
    const start = (cfg: KeeperConfig) =>
      startKeeper({
        config: cfg,
        strategies: STRATEGIES,
        signal: new AbortController().signal,
        logDestination: captureLogs().destination,
      }).then(
        () => "started",
        (error: unknown) => error as Error,
      );

    const wrongSigner = config(dbPath, { signer: { type: "hardhat", index: KEEPER_INDEX - 1 } });
    wrongSigner.vaults[0]!.tickTolerance = 150;
    wrongSigner.vaults[2]!.address = MAINNET.weth;
    wrongSigner.vaults[3]!.strategy = { name: "observe", params: {} };
    const refused = (await start(wrongSigner)) as Error;
    expect(refused).to.be.instanceOf(VaultCheckError);
    const signer = (
      await loadSigner({ signer: { type: "hardhat", index: KEEPER_INDEX - 1 }, chainId: 31337 })
    ).address;
    const keeper = (await loadSigner({ signer: { type: "hardhat", index: KEEPER_INDEX }, chainId: 31337 }))
      .address;
    expect((refused as VaultCheckError).problems).to.deep.equal([
      `vaults[0].address: the vault's keeper is ${keeper}, not this keeper's signer ${signer}; have the vault's owner call setKeeper(${signer}), sign with the keeper's key, or use strategy "observe"`,
      "vaults[0].tickTolerance: expected at most the vault's maxTwapDeviation 100 ticks (the vault refuses a larger tolerance), got 150",
      `vaults[1].address: the vault's keeper is ${keeper}, not this keeper's signer ${signer}; have the vault's owner call setKeeper(${signer}), sign with the keeper's key, or use strategy "observe"`,
      `vaults[2].address: ${MAINNET.weth} does not answer as a RangeVault through vaultLens ${lensAddress}; check both addresses and the chain`,
    ]);

    const badParams = config(dbPath);
    badParams.vaults[0]!.strategy = {
      name: "passive",
      params: { baseThreshold: -60, limitThreshold: 40, period: 300 },
    };
    expect(((await start(badParams)) as Error).message).to.match(
      /^vaults\[0\]\.strategy\.params: .*baseThreshold/s,
    );
    expect(((await start(badParams)) as Error).message).to.include("minTickMove");
    const unknown = config(dbPath);
    unknown.vaults[1]!.strategy = { name: "charm", params: {} };
    expect(((await start(unknown)) as Error).message).to.equal(
      `vaults[1].strategy.name: unknown strategy "charm"; expected one of ${STRATEGIES.map((s) => `"${s.name}"`).join(", ")}`,
    );
    expect(mirror.methods.filter((m) => m === "eth_sendRawTransaction").length).to.equal(sendsBefore);
    expect(existsSync(dbPath)).to.equal(false);
  });
});
