import type { DestinationStream } from "pino";
import type { Writable } from "node:stream";

import { parseGwei } from "viem";

import { lockDatabase } from "../storage/lockDatabase.js";
import { openKeeperDatabase } from "../storage/openKeeperDatabase.js";
import type { KeeperConfig } from "./config/schema.js";
import { createExecutor } from "./execute/createExecutor.js";
import { createKeeperMetrics } from "./ops/createKeeperMetrics.js";
import { keeperStrategies } from "./keeperStrategies.js";
import { createMeasure } from "./measure/measureVault.js";
import { createLogger } from "./ops/createLogger.js";
import { serveMetrics, type MetricsServer } from "./ops/serveMetrics.js";
import { resolveStrategies } from "./resolveStrategies.js";
import type { RequestCounter } from "./rpc/countRequests.js";
import { createKeeperClient } from "./rpc/createKeeperClient.js";
import { runKeeper, type BlockSummary, type RunKeeperParameters } from "./runKeeper.js";
import { loadSigner } from "./signer/loadSigner.js";
import type { Measure, Strategy } from "./strategy.js";
import { checkRangeVaults } from "./vault/checkRangeVaults.js";
import { createRangeVaultAdapter } from "./vault/rangeVaultAdapter.js";
import type { VaultAdapter } from "./vaultAdapter.js";

export class ChainIdMismatchError extends Error {
  constructor(configured: number, actual: number) {
    super(
      `chainId: the config says ${configured} but the RPC serves chain ${actual}; fix chainId or rpc.urls`,
    );
    this.name = "ChainIdMismatchError";
  }
}

export interface StartKeeperParameters {
  config: KeeperConfig;
  /** Strategies a config may name; by default the registry's and "observe" (keeperStrategies). */
  strategies?: readonly Strategy[];
  /**
   * Where the vault contract plugs in; by default RangeVault through config.vaultLens, with the vaults
   * checked against the chain first (checkRangeVaults). Tests plug in others.
   */
  adapter?: VaultAdapter;
  /** The measure step; by default the analytics of createMeasure with the config's measure settings. */
  measure?: Measure;
  /** Stops the keeper (SIGINT/SIGTERM in the task). */
  signal: AbortSignal;
  allowRawKey?: boolean;
  env?: NodeJS.ProcessEnv;
  prompt?: (question: string, variable: string) => Promise<string>;
  logDestination?: DestinationStream & Writable;
  /** Told once the metrics server listens (its URL carries the port actually bound). */
  onReady?: (ready: { metricsUrl: string | null; account: string }) => void;
  onBlockDone?: (summary: BlockSummary) => void;
  /** Counts this keeper's JSON-RPC requests too (benchmarks); metrics count them anyway. */
  rpcCounter?: RequestCounter;
  /** One-shot runs (vault:rebalance): see runKeeper's `blocks`, `cursor` and `onExecuted`. */
  blocks?: number;
  cursor?: string;
  onExecuted?: RunKeeperParameters["onExecuted"];
}

/**
 * Wires a validated config into a running keeper and returns once it has stopped: resolves strategies
 * (their params checked), checks the RPC's chain id, unlocks the signer, opens the database, serves
 * metrics, runs the loop until `signal`, then closes the server and the database. Everything that can be
 * refused is refused before the first transaction could be sent.
 */
export async function startKeeper(p: StartKeeperParameters): Promise<void> {
  const { config } = p;
  const vaults = resolveStrategies(config.vaults, p.strategies ?? keeperStrategies());
  const secrets = [...config.rpc.urls, ...(config.privateTx ? [config.privateTx.url] : [])];
  const log = createLogger({
    level: config.log.level,
    pretty: config.log.pretty,
    secrets,
    destination: p.logDestination,
  });
  const { client, counter } = createKeeperClient({
    ...config.rpc,
    urls: config.rpc.urls,
    counter: p.rpcCounter,
  });
  const chainId = await client.getChainId();
  if (chainId !== config.chainId) throw new ChainIdMismatchError(config.chainId, chainId);
  const account = await loadSigner({
    signer: config.signer,
    chainId,
    allowRawKey: p.allowRawKey,
    env: p.env,
    prompt: p.prompt,
  });

  const adapter =
    p.adapter ??
    createRangeVaultAdapter({
      lens: config.vaultLens,
      onMismatch: (vault, fields) =>
        log.warn(
          { vault: vault.name, fields },
          "a vault's state derived since its last full read differs from the lens's: the lens's is used",
        ),
    });
  if (p.adapter === undefined)
    await checkRangeVaults(client, {
      config,
      account: account.address,
      callGasLimit: config.rpc.callGasLimit,
    });
  const measure =
    p.measure ??
    (createMeasure({
      measure: config.measure,
      weth: config.weth,
      priorityFeePerGas: parseGwei(String(config.gas.maxPriorityFeePerGasGwei)),
      maxFeePerGas: parseGwei(String(config.gas.maxFeePerGasGwei)),
    }) as Measure);

  const lock = lockDatabase(config.database.path);
  let db;
  try {
    db = openKeeperDatabase({ path: config.database.path });
  } catch (error) {
    lock.release();
    throw error;
  }
  let server: MetricsServer | null = null;
  try {
    const metrics = createKeeperMetrics({ rpcCounter: counter });
    const executor = createExecutor({
      client,
      account,
      chainId,
      db,
      gas: config.gas,
      confirmations: config.confirmations,
      pollingIntervalMs: config.rpc.pollingIntervalMs,
      dryRun: config.dryRun,
      log,
      privateTxUrl: config.privateTx?.url,
      timeoutMs: config.rpc.timeoutMs,
    });
    let lastBlockAt = Date.now();
    if (config.metrics.enabled) {
      server = await serveMetrics(metrics, {
        host: config.metrics.host,
        port: config.metrics.port,
        health: () => {
          const silentMs = Date.now() - lastBlockAt;
          // Unhealthy when no confirmed block was processed for ten polling intervals (and at least a minute).
          return {
            ok: silentMs < Math.max(60_000, 10 * config.rpc.pollingIntervalMs),
            lastBlockAgeMs: silentMs,
            dryRun: config.dryRun,
            rpcErrors: counter.errors,
          };
        },
      });
    }
    log.info(
      {
        chainId,
        account: account.address,
        vaults: vaults.length,
        dryRun: config.dryRun,
        metrics: server?.url ?? null,
        database: config.database.path,
        privateTx: config.privateTx !== undefined,
      },
      "keeper starting",
    );
    p.onReady?.({ metricsUrl: server?.url ?? null, account: account.address });
    await runKeeper(client, {
      vaults,
      db,
      executor,
      adapter,
      measure,
      confirmations: config.confirmations,
      pollingIntervalMs: config.rpc.pollingIntervalMs,
      callGasLimit: config.rpc.callGasLimit,
      snapshotRetentionBlocks: config.database.snapshotRetentionBlocks,
      log,
      metrics,
      signal: p.signal,
      onBlockDone: (summary) => {
        lastBlockAt = Date.now();
        p.onBlockDone?.(summary);
      },
      blocks: p.blocks,
      cursor: p.cursor,
      onExecuted: p.onExecuted,
    });
  } finally {
    await server?.close();
    db.close();
    lock.release();
    log.info("database closed, metrics server stopped");
    log.flush();
  }
}
