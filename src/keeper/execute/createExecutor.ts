import { createPublicClient, http, parseGwei, type LocalAccount, type PublicClient } from "viem";

import type { KeeperDatabase } from "../../storage/openKeeperDatabase.js";
import type { GasConfig } from "../config/schema.js";
import type { KeeperLogger } from "../ops/createLogger.js";

/** Everything the execute functions share: clients, signer, journal, limits, and which vaults are busy. */
export interface Executor {
  client: PublicClient;
  /** Where signed transactions are broadcast: a private endpoint when configured, else `client`. */
  broadcastClient: PublicClient;
  account: LocalAccount;
  chainId: number;
  db: KeeperDatabase;
  fees: { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
  gasLimit: bigint;
  replaceAfterMs: number;
  feeBumpPercent: number;
  confirmations: number;
  pollingIntervalMs: number;
  dryRun: boolean;
  log: KeeperLogger;
  /** Vaults with a transaction being prepared or followed by this process. */
  busy: Set<string>;
  /** Serialises nonce choice, signing, journaling and broadcast across vaults sharing the signer. */
  sendQueue: Promise<unknown>;
  /** The next nonce this process would use, or undefined to ask the chain again. */
  nextNonce: number | undefined;
}

export interface CreateExecutorParameters {
  client: PublicClient;
  account: LocalAccount;
  chainId: number;
  db: KeeperDatabase;
  gas: GasConfig;
  confirmations: number;
  pollingIntervalMs: number;
  dryRun: boolean;
  log: KeeperLogger;
  /** Private transaction endpoint (eth_sendRawTransaction only). */
  privateTxUrl?: string;
  timeoutMs?: number;
}

export function createExecutor(p: CreateExecutorParameters): Executor {
  const broadcastClient =
    p.privateTxUrl === undefined
      ? p.client
      : createPublicClient({
          transport: http(p.privateTxUrl, { timeout: p.timeoutMs ?? 10_000, retryCount: 0 }),
        });
  return {
    client: p.client,
    broadcastClient,
    account: p.account,
    chainId: p.chainId,
    db: p.db,
    fees: {
      maxFeePerGas: parseGwei(String(p.gas.maxFeePerGasGwei)),
      maxPriorityFeePerGas: parseGwei(String(p.gas.maxPriorityFeePerGasGwei)),
    },
    gasLimit: BigInt(p.gas.gasLimit),
    replaceAfterMs: p.gas.replaceAfterMs,
    feeBumpPercent: p.gas.feeBumpPercent,
    confirmations: p.confirmations,
    pollingIntervalMs: p.pollingIntervalMs,
    dryRun: p.dryRun,
    log: p.log,
    busy: new Set(),
    sendQueue: Promise.resolve(),
    nextNonce: undefined,
  };
}
