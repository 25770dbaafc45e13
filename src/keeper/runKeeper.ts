import { formatEther, parseEther, type Address, type PublicClient } from "viem";

import { readCursor, saveCursor } from "../storage/cursors.js";
import { recordDecision, type DecisionAction } from "../storage/decisions.js";
import { inTransaction } from "../storage/inTransaction.js";
import type { KeeperDatabase } from "../storage/openKeeperDatabase.js";
import { rebalancesOf, recordRebalance } from "../storage/rebalances.js";
import { latestSnapshot, orphanSnapshots, saveSnapshot } from "../storage/snapshots.js";
import { transactionsInFlight, transactionsOf } from "../storage/transactions.js";
import type { VaultConfig } from "./config/schema.js";
import type { Executor } from "./execute/createExecutor.js";
import { executeCall, type ExecuteCallReturnType } from "./execute/executeCall.js";
import type { FollowTransactionReturnType } from "./execute/followTransaction.js";
import { resumeInFlight } from "./execute/resumeInFlight.js";
import type { KeeperLogger } from "./ops/createLogger.js";
import { observeMeasurements, type KeeperMetrics } from "./ops/createKeeperMetrics.js";
import { NotAPoolError, readPoolInfo, type PoolInfo } from "./readPoolInfo.js";
import { readVaultSnapshots } from "./readVaultSnapshots.js";
import { sleep } from "./sleep.js";
import type { MeasuredSnapshot } from "./snapshot.js";
import type { Measure, Strategy } from "./strategy.js";
import type { VaultAdapter } from "./vaultAdapter.js";
import { watchConfirmedBlocks, type ConfirmedBlock } from "./watch/watchConfirmedBlocks.js";

/** A configured vault with its strategy resolved and its parameters already validated by it. */
export interface KeeperVault {
  config: VaultConfig;
  strategy: Strategy;
  params: unknown;
}

/** What the loop did with one confirmed block. */
export interface BlockSummary {
  block: ConfirmedBlock;
  decisions: { vault: string; action: DecisionAction; reasons: string[]; latencyMs: number }[];
}

export interface RunKeeperParameters {
  vaults: readonly KeeperVault[];
  db: KeeperDatabase;
  executor: Executor;
  /** Where a vault contract plugs in: its reads and the call that carries out a plan. */
  adapter: VaultAdapter;
  measure: Measure;
  confirmations: number;
  pollingIntervalMs: number;
  log: KeeperLogger;
  metrics?: KeeperMetrics;
  /** Observes each processed block (status displays, tests, benchmarks). */
  onBlockDone?: (summary: BlockSummary) => void;
  /** Shutdown: the loop stops taking blocks, in-flight transactions stay journaled, then it returns. */
  signal: AbortSignal;
}

const CURSOR = "keeper";

/** Runs an execution in the background, holding its vaults as settling until it and its recording end. */
type Track = (vaults: readonly string[], work: Promise<void>) => void;

/**
 * The keeper loop: for every confirmed block, read all vaults in one batched request (plus one for pool
 * events), measure, decide with each vault's strategy, check the risk limits, record everything, and hand
 * plans to the executor, which runs in the background (one transaction per vault at most) so a slow
 * receipt never delays the next block. Transactions journaled by an earlier run are followed first.
 * Returns after `signal` fires and every background execution has stopped (finished or left journaled).
 */
export async function runKeeper(client: PublicClient, p: RunKeeperParameters): Promise<void> {
  const { db, executor, log, metrics, signal } = p;
  const executions = new Set<Promise<void>>();
  // Vaults whose transaction is being sent, followed or recorded: no new plan for them until the outcome
  // (a mined rebalance included) is in the database.
  const settling = new Set<string>();
  const track: Track = (vaults, work) => {
    for (const vault of vaults) settling.add(vault);
    const tracked = work
      .catch((error: unknown) => log.error({ err: error }, "execution failed"))
      .finally(() => {
        for (const vault of vaults) settling.delete(vault);
        executions.delete(tracked);
      });
    executions.add(tracked);
  };

  const pools = await readPoolsAtStart(client, p);
  if (pools === null) return;
  track(
    transactionsInFlight(db).map((t) => t.vault),
    resumeInFlight(executor, { signal })
      .then((outcomes) => Promise.all(outcomes.map((o) => recordOutcome(client, p, o))))
      .then(() => undefined),
  );
  const cursor = readCursor(db, CURSOR);
  log.info(
    {
      vaults: p.vaults.map((v) => v.config.name),
      confirmations: p.confirmations,
      resumeAfter: cursor?.blockNumber,
    },
    "keeper started",
  );

  await watchConfirmedBlocks(client, {
    confirmations: p.confirmations,
    pollingIntervalMs: p.pollingIntervalMs,
    after: cursor === null ? undefined : { number: cursor.blockNumber, hash: cursor.blockHash },
    signal,
    onBlock: async (block) => {
      const summary = await processBlock(client, p, pools, block, track, settling);
      metrics?.lastBlock.set(Number(block.number));
      p.onBlockDone?.(summary);
    },
    onReorg: async (reorg) => {
      const orphaned = orphanSnapshots(db, reorg.commonAncestor + 1n);
      metrics?.reorgs.inc();
      log.warn(
        { ...reorg, orphanedSnapshots: orphaned },
        "reorg below the confirmation depth: re-reading from the common ancestor",
      );
    },
    onError: (error, consecutive) =>
      log.warn({ err: error, consecutive }, "block processing failed; retrying"),
  });
  await Promise.all(executions);
  log.info("keeper stopped");
}

/**
 * The pools' fixed facts, read once. A pool that does not answer as a pool stops the keeper (a config
 * error); an RPC failure is retried with backoff until it succeeds or the keeper is stopped (then null).
 */
async function readPoolsAtStart(
  client: PublicClient,
  p: RunKeeperParameters,
): Promise<Map<Address, PoolInfo> | null> {
  for (let attempt = 1; !p.signal.aborted; attempt++) {
    try {
      const latest = await client.getBlock({ blockTag: "latest" });
      return await readPoolInfo(client, {
        blockHash: latest.hash,
        pools: p.vaults.map((v, i) => ({ address: v.config.pool, field: `vaults[${i}].pool` })),
      });
    } catch (error) {
      if (error instanceof NotAPoolError) throw error;
      p.log.warn({ err: error, attempt }, "reading the pools at start failed; retrying");
      await sleep(Math.min(30_000, p.pollingIntervalMs * 2 ** Math.min(attempt, 10)), p.signal);
    }
  }
  return null;
}

async function processBlock(
  client: PublicClient,
  p: RunKeeperParameters,
  pools: ReadonlyMap<Address, PoolInfo>,
  block: ConfirmedBlock,
  track: Track,
  settling: ReadonlySet<string>,
): Promise<BlockSummary> {
  const { db, log, metrics } = p;
  const snapshots = await readVaultSnapshots(client, {
    vaults: p.vaults.map((v) => v.config),
    pools,
    block,
    adapter: p.adapter,
  });
  const readAt = performance.now();
  const summary: BlockSummary = { block, decisions: [] };
  const plans: { vault: KeeperVault; plan: unknown; decisionId: number; snapshot: MeasuredSnapshot }[] = [];

  inTransaction(db, () => {
    p.vaults.forEach((vault, i) => {
      const name = vault.config.name;
      const snapshot = snapshots[i]!;
      const previous = latestSnapshot<MeasuredSnapshot>(db, name)?.data ?? null;
      const measured: MeasuredSnapshot = { ...snapshot, measurements: p.measure(snapshot, previous) };
      const last = rebalancesOf(db, name).at(-1);
      const decision = vault.strategy.decide(measured, vault.params, {
        lastRebalance:
          last === undefined ? null : { blockNumber: last.blockNumber, timestamp: last.blockTimestamp },
        previous,
      });
      let action: DecisionAction = decision.plan === null ? "hold" : "rebalance";
      const reasons = [...decision.reasons];
      if (decision.plan !== null) {
        const blocked = riskBlock(p, vault.config, block, settling);
        if (blocked !== null) {
          action = "blocked";
          reasons.push(blocked);
        }
      }
      const latencyMs = performance.now() - readAt;
      saveSnapshot(db, {
        vault: name,
        blockNumber: block.number,
        blockHash: block.hash,
        blockTimestamp: block.timestamp,
        data: measured,
      });
      const decisionId = recordDecision(db, {
        vault: name,
        blockNumber: block.number,
        blockHash: block.hash,
        strategy: vault.strategy.name,
        action,
        reasons,
        plan: decision.plan,
        latencyMs,
      });
      metrics?.decisionLatency.observe({ vault: name }, latencyMs / 1000);
      metrics?.decisions.inc({ vault: name, action });
      if (metrics) observeMeasurements(metrics, name, measured.measurements);
      summary.decisions.push({ vault: name, action, reasons, latencyMs });
      if (action === "rebalance") plans.push({ vault, plan: decision.plan, decisionId, snapshot: measured });
      if (action !== "hold") log.info({ vault: name, block: block.number, action, reasons }, "decision");
    });
    saveCursor(db, CURSOR, { blockNumber: block.number, blockHash: block.hash });
  });

  for (const { vault, plan, decisionId, snapshot } of plans) {
    const call = p.adapter.toCall(vault.config, plan, snapshot);
    track(
      [vault.config.name],
      executeCall(p.executor, {
        vault: vault.config.name,
        call,
        decisionId,
        maxCostWei: parseEther(String(vault.config.risk.maxGasCostEth)),
        signal: p.signal,
      }).then((outcome) => recordOutcome(client, p, outcome)),
    );
  }
  return summary;
}

/** Why a wanted rebalance may not go ahead now, or null: one in flight, state older than the last one, too soon, or too many today. */
function riskBlock(
  p: RunKeeperParameters,
  vault: VaultConfig,
  block: ConfirmedBlock,
  settling: ReadonlySet<string>,
): string | null {
  if (
    settling.has(vault.name) ||
    p.executor.busy.has(vault.name) ||
    transactionsInFlight(p.db, vault.name).length > 0
  )
    return "a transaction of this vault is already in flight";
  const history = rebalancesOf(p.db, vault.name);
  const last = history.at(-1);
  const { minRebalanceIntervalSeconds, maxRebalancesPerDay } = vault.risk;
  // A confirmed block at or below the block of the vault's last mined transaction shows the vault as it was
  // before that transaction.
  const lastMined = transactionsOf(p.db, vault.name).reduce<bigint | null>(
    (max, t) =>
      t.status === "mined" && t.blockNumber !== null && (max === null || t.blockNumber > max)
        ? t.blockNumber
        : max,
    null,
  );
  if (lastMined !== null && block.number <= lastMined)
    return `the vault's last rebalance (block ${lastMined}) is not in this block's state yet`;
  if (last !== undefined && block.timestamp - last.blockTimestamp < BigInt(minRebalanceIntervalSeconds)) {
    return `risk.minRebalanceIntervalSeconds: last rebalance ${block.timestamp - last.blockTimestamp} s ago, minimum ${minRebalanceIntervalSeconds} s`;
  }
  const today = history.filter((r) => block.timestamp - r.blockTimestamp < 86_400n).length;
  if (today >= maxRebalancesPerDay)
    return `risk.maxRebalancesPerDay: ${today} rebalances in the last 24 h, maximum ${maxRebalancesPerDay}`;
  return null;
}

/** Logs and counts an execution's outcome; a mined rebalance is recorded with its gas cost. */
async function recordOutcome(
  client: PublicClient,
  p: RunKeeperParameters,
  outcome: ExecuteCallReturnType | FollowTransactionReturnType,
): Promise<void> {
  p.metrics?.transactions.inc({ vault: outcome.vault, status: outcome.status });
  if (outcome.status === "refused" || outcome.status === "failed" || outcome.status === "busy") {
    p.log.warn(
      { vault: outcome.vault, status: outcome.status, reason: outcome.reason },
      "rebalance not sent",
    );
    return;
  }
  if (outcome.status !== "mined" || outcome.blockNumber === null) return;
  const block = await withRetries(() => client.getBlock({ blockNumber: outcome.blockNumber! }), p);
  const gasCostWei = outcome.gasUsed! * outcome.effectiveGasPrice!;
  recordRebalance(p.db, {
    vault: outcome.vault,
    decisionId: outcome.decisionId,
    txHash: outcome.hash,
    blockNumber: outcome.blockNumber,
    blockTimestamp: block.timestamp,
    gasUsed: outcome.gasUsed!,
    gasCostWei,
    costs: {},
  });
  p.metrics?.lastRebalance.set({ vault: outcome.vault }, Number(block.timestamp));
  p.log.info(
    {
      vault: outcome.vault,
      hash: outcome.hash,
      gasUsed: outcome.gasUsed,
      gasCostEth: formatEther(gasCostWei),
    },
    "rebalance mined",
  );
}

/** The rebalance record must not be lost to one failed read: up to 10 attempts with backoff. */
async function withRetries<T>(
  read: () => Promise<T>,
  p: Pick<RunKeeperParameters, "pollingIntervalMs" | "log">,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (error) {
      if (attempt >= 10) throw error;
      p.log.warn({ err: error, attempt }, "reading the rebalance's block failed; retrying");
      await sleep(Math.min(30_000, p.pollingIntervalMs * 2 ** attempt));
    }
  }
}
