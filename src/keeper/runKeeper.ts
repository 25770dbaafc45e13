import { formatEther, parseEther, type Address, type PublicClient } from "viem";

import { readCursor, saveCursor } from "../storage/cursors.js";
import { recordDecision, type DecisionAction } from "../storage/decisions.js";
import { inTransaction } from "../storage/inTransaction.js";
import type { KeeperDatabase } from "../storage/openKeeperDatabase.js";
import { rebalancesOf, recordRebalance } from "../storage/rebalances.js";
import { latestSnapshot, orphanSnapshots, pruneSnapshots, saveSnapshot } from "../storage/snapshots.js";
import {
  IN_FLIGHT_STATUSES,
  transactionsInFlight,
  transactionsOf,
  transactionsOfDecision,
} from "../storage/transactions.js";
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
import type { Decision, Measure, Strategy } from "./strategy.js";
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
  decisions: {
    vault: string;
    action: DecisionAction;
    reasons: string[];
    latencyMs: number;
    decision: Decision;
    measurements: MeasuredSnapshot["measurements"];
    strategySnapshot: MeasuredSnapshot["strategySnapshot"];
    pool: MeasuredSnapshot["pool"];
    /** Everything read and measured for the vault at this block (its state and events included). */
    snapshot: MeasuredSnapshot;
  }[];
  /** From the block's state being read to the last decision, and to everything being recorded. */
  decideMs: number;
  recordMs: number;
}

/**
 * What the keeper carries for a vault from one block to the next, stored with every snapshot so that a
 * restart resumes, and a reorg rolls back, to the canonical chain's last processed block.
 */
export interface VaultCarry {
  /** The measure step's own state (EWMA, rates, accumulators, IL references). */
  measure: unknown;
  /** The strategy's memory in force. */
  memory: unknown;
  /** A rebalance decided and handed to the executor: its memory is adopted once the rebalance shows on chain. */
  pending: { decisionId: number; memory: unknown } | null;
}

/** A snapshot row's data: the measured snapshot, the memory the strategy was given, and the carry after this block. */
export interface StoredSnapshot extends MeasuredSnapshot {
  memoryUsed: unknown;
  carry: VaultCarry;
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
  /** The node's eth_call gas cap (rpc.callGasLimit). */
  callGasLimit?: number;
  /** Blocks of snapshots kept (database.snapshotRetentionBlocks); 0 or absent keeps all. */
  snapshotRetentionBlocks?: number;
  log: KeeperLogger;
  metrics?: KeeperMetrics;
  /** Observes each processed block (status displays, tests, benchmarks). */
  onBlockDone?: (summary: BlockSummary) => void;
  /** Shutdown: the loop stops taking blocks, in-flight transactions stay journaled, then it returns. */
  signal: AbortSignal;
  /**
   * One-shot runs (vault:rebalance): stop taking blocks after this many, then wait for their transactions to
   * settle (followed to a final receipt unless `signal` fires) and return.
   */
  blocks?: number;
  /** Where the last processed block is remembered; "keeper" by default, another name for one-shot runs. */
  cursor?: string;
  /** Told of every execution's outcome once it is recorded (vault:rebalance prints it). */
  onExecuted?: (outcome: ExecuteCallReturnType | FollowTransactionReturnType) => void;
}

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
  const cursorName = p.cursor ?? "keeper";
  // The watch loop stops on shutdown, or after `blocks` blocks; executions stop only on shutdown.
  const stopWatching = new AbortController();
  const watchSignal = AbortSignal.any([signal, stopWatching.signal]);
  let processedBlocks = 0;
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
  const state: LoopState = {
    carries: loadCarries(p),
    lastRebalance: new Map(
      p.vaults.flatMap((v) => {
        const last = rebalancesOf(db, v.config.name).at(-1);
        return last === undefined
          ? []
          : [[v.config.name, { blockNumber: last.blockNumber, timestamp: last.blockTimestamp }]];
      }),
    ),
  };
  track(
    transactionsInFlight(db).map((t) => t.vault),
    resumeInFlight(executor, { signal })
      .then((outcomes) => Promise.all(outcomes.map((o) => recordOutcome(client, p, o, state))))
      .then(() => undefined),
  );
  const cursor = readCursor(db, cursorName);
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
    signal: watchSignal,
    onBlock: async (block) => {
      const summary = await processBlock(client, p, pools, block, track, settling, state, cursorName);
      metrics?.lastBlock.set(Number(block.number));
      p.onBlockDone?.(summary);
      if (p.blocks !== undefined && ++processedBlocks >= p.blocks) stopWatching.abort();
    },
    onReorg: async (reorg) => {
      const orphaned = orphanSnapshots(db, reorg.commonAncestor + 1n);
      // Measurements and memories roll back with the chain: to what was stored at the common ancestor.
      state.carries = loadCarries(p);
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
        pools: p.vaults.flatMap((v, i) => [
          { address: v.config.pool, field: `vaults[${i}].pool` },
          ...(v.config.gasPricePool === undefined
            ? []
            : [{ address: v.config.gasPricePool, field: `vaults[${i}].gasPricePool` }]),
        ]),
      });
    } catch (error) {
      if (error instanceof NotAPoolError) throw error;
      p.log.warn({ err: error, attempt }, "reading the pools at start failed; retrying");
      await sleep(Math.min(30_000, p.pollingIntervalMs * 2 ** Math.min(attempt, 10)), p.signal);
    }
  }
  return null;
}

interface LoopState {
  carries: Map<string, VaultCarry>;
  /** Each vault's last mined rebalance, as recorded. */
  lastRebalance: Map<string, { blockNumber: bigint; timestamp: bigint }>;
}

/** Every vault's carry as its latest canonical snapshot stored it (a fresh one for a vault never seen). */
function loadCarries(p: RunKeeperParameters): Map<string, VaultCarry> {
  return new Map(
    p.vaults.map((v) => [
      v.config.name,
      latestSnapshot<StoredSnapshot>(p.db, v.config.name)?.data.carry ?? {
        measure: null,
        memory: v.strategy.initialMemory?.() ?? null,
        pending: null,
      },
    ]),
  );
}

async function processBlock(
  client: PublicClient,
  p: RunKeeperParameters,
  pools: ReadonlyMap<Address, PoolInfo>,
  block: ConfirmedBlock,
  track: Track,
  settling: ReadonlySet<string>,
  state: LoopState,
  cursorName: string,
): Promise<BlockSummary> {
  const { db, log, metrics } = p;
  const snapshots = await readVaultSnapshots(client, {
    vaults: p.vaults.map((v) => v.config),
    pools,
    block,
    adapter: p.adapter,
    callGasLimit: p.callGasLimit,
  });
  const readAt = performance.now();

  // Decide for every vault first (measure, strategy, risk limits: no I/O but the journal lookups a plan
  // needs), then record the whole block in one transaction.
  const decided = p.vaults.map((vault, i) => {
    const name = vault.config.name;
    const snapshot = snapshots[i]!;
    const carry = settlePending(p, name, state.carries.get(name)!, snapshot.vaultEvents, block, settling);
    const measured = p.measure(snapshot, carry.measure);
    const measuredSnapshot: MeasuredSnapshot = {
      ...snapshot,
      measurements: measured.measurements,
      strategySnapshot: measured.strategySnapshot,
    };
    const decision: Decision = vault.strategy.decide(measuredSnapshot, vault.params, {
      lastRebalance: state.lastRebalance.get(name) ?? null,
      memory: carry.memory,
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
    return {
      vault,
      measuredSnapshot,
      measureState: measured.state,
      carry,
      decision,
      action,
      reasons,
      latencyMs: performance.now() - readAt,
    };
  });
  const decidedAt = performance.now();

  const summary: BlockSummary = { block, decisions: [], decideMs: decidedAt - readAt, recordMs: 0 };
  const plans: { vault: KeeperVault; plan: unknown; decisionId: number; snapshot: MeasuredSnapshot }[] = [];
  const carries = new Map<string, VaultCarry>();
  inTransaction(db, () => {
    for (const d of decided) {
      const name = d.vault.config.name;
      const decisionId = recordDecision(db, {
        vault: name,
        blockNumber: block.number,
        blockHash: block.hash,
        strategy: d.vault.strategy.name,
        action: d.action,
        reasons: d.reasons,
        plan: d.decision.plan,
        trigger: d.decision.trigger ?? null,
        economics: d.decision.economics ?? null,
        memory: d.decision.memory,
        latencyMs: d.latencyMs,
      });
      const next = d.decision.memory === undefined ? d.carry.memory : d.decision.memory;
      const carry: VaultCarry = {
        measure: d.measureState,
        // A plan's memory waits for its rebalance to show on chain; a blocked plan's is dropped.
        memory: d.action === "hold" ? next : d.carry.memory,
        pending: d.action === "rebalance" ? { decisionId, memory: next } : d.carry.pending,
      };
      carries.set(name, carry);
      saveSnapshot(db, {
        vault: name,
        blockNumber: block.number,
        blockHash: block.hash,
        blockTimestamp: block.timestamp,
        data: { ...d.measuredSnapshot, memoryUsed: d.carry.memory, carry } satisfies StoredSnapshot,
      });
      if (d.action === "rebalance")
        plans.push({ vault: d.vault, plan: d.decision.plan, decisionId, snapshot: d.measuredSnapshot });
    }
    saveCursor(db, cursorName, { blockNumber: block.number, blockHash: block.hash });
    // Every 256 blocks, snapshots older than the retention go (the latest ones carry all state forward).
    const keep = BigInt(p.snapshotRetentionBlocks ?? 0);
    if (keep > 0n && block.number % 256n === 0n && block.number > keep)
      pruneSnapshots(db, block.number - keep);
  });
  // Only once the block is on disk does the in-memory state move on (a failed write re-reads the block).
  for (const [name, carry] of carries) state.carries.set(name, carry);
  summary.recordMs = performance.now() - decidedAt;

  for (const d of decided) {
    const name = d.vault.config.name;
    metrics?.decisionLatency.observe({ vault: name }, d.latencyMs / 1000);
    metrics?.decisions.inc({ vault: name, action: d.action });
    if (metrics) observeMeasurements(metrics, name, d.measuredSnapshot.measurements);
    summary.decisions.push({
      vault: name,
      action: d.action,
      reasons: d.reasons,
      latencyMs: d.latencyMs,
      decision: d.decision,
      measurements: d.measuredSnapshot.measurements,
      strategySnapshot: d.measuredSnapshot.strategySnapshot,
      pool: d.measuredSnapshot.pool,
      snapshot: d.measuredSnapshot,
    });
    if (d.action !== "hold")
      log.info(
        {
          vault: name,
          block: block.number,
          action: d.action,
          trigger: d.decision.trigger ?? undefined,
          reasons: d.reasons,
          economics: d.decision.economics ?? undefined,
          plan: d.decision.plan,
        },
        "decision",
      );
  }

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
      }).then((outcome) => recordOutcome(client, p, outcome, state)),
    );
  }
  return summary;
}

/**
 * The pending rebalance's memory is adopted in the block that holds its transaction (its events are in the
 * snapshot) or any later one; it is dropped once no transaction of it can be mined any more (refused before
 * signing, failed, reverted, dropped, dry-run). While it is still being sent or followed it stays pending.
 */
function settlePending(
  p: RunKeeperParameters,
  vault: string,
  carry: VaultCarry,
  events: readonly { txHash: string }[],
  block: ConfirmedBlock,
  settling: ReadonlySet<string>,
): VaultCarry {
  if (carry.pending === null) return carry;
  const transactions = transactionsOfDecision(p.db, carry.pending.decisionId);
  const hashes = new Set(transactions.map((t) => t.hash));
  const mined = transactions.find((t) => t.status === "mined");
  if (
    events.some((e) => hashes.has(e.txHash as `0x${string}`)) ||
    (mined?.blockNumber != null && block.number >= mined.blockNumber)
  )
    return { ...carry, memory: carry.pending.memory, pending: null };
  if (
    mined !== undefined ||
    settling.has(vault) ||
    p.executor.busy.has(vault) ||
    transactions.some((t) => IN_FLIGHT_STATUSES.includes(t.status))
  )
    return carry;
  return { ...carry, pending: null };
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

/** Logs and counts an execution's outcome; a mined rebalance is recorded with its gas cost and measured costs. */
async function recordOutcome(
  client: PublicClient,
  p: RunKeeperParameters,
  outcome: ExecuteCallReturnType | FollowTransactionReturnType,
  state: LoopState,
): Promise<void> {
  try {
    await recordOutcomeOf(client, p, outcome, state);
  } finally {
    p.onExecuted?.(outcome);
  }
}

async function recordOutcomeOf(
  client: PublicClient,
  p: RunKeeperParameters,
  outcome: ExecuteCallReturnType | FollowTransactionReturnType,
  state: LoopState,
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
  const [block, receipt] = await Promise.all([
    withRetries(() => client.getBlock({ blockNumber: outcome.blockNumber! }), p),
    withRetries(() => client.getTransactionReceipt({ hash: outcome.hash }), p),
  ]);
  const gasCostWei = outcome.gasUsed! * outcome.effectiveGasPrice!;
  const vault = p.vaults.find((v) => v.config.name === outcome.vault)?.config;
  const costs = {
    gasCostEth: Number(formatEther(gasCostWei)),
    ...(vault === undefined ? {} : (p.adapter.costs?.(vault, receipt.logs) ?? {})),
  };
  recordRebalance(p.db, {
    vault: outcome.vault,
    decisionId: outcome.decisionId,
    txHash: outcome.hash,
    blockNumber: outcome.blockNumber,
    blockTimestamp: block.timestamp,
    gasUsed: outcome.gasUsed!,
    gasCostWei,
    costs,
  });
  state.lastRebalance.set(outcome.vault, { blockNumber: outcome.blockNumber, timestamp: block.timestamp });
  p.metrics?.lastRebalance.set({ vault: outcome.vault }, Number(block.timestamp));
  p.log.info(
    { vault: outcome.vault, hash: outcome.hash, gasUsed: outcome.gasUsed, costs },
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
