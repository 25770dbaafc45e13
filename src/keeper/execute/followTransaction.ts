import {
  parseTransaction,
  TransactionNotFoundError,
  TransactionReceiptNotFoundError,
  type Hash,
  type TransactionReceipt,
} from "viem";

import { inTransaction } from "../../storage/inTransaction.js";
import {
  setTransactionOutcome,
  transactionsOfNonce,
  type TransactionRow,
} from "../../storage/transactions.js";
import { sleep } from "../sleep.js";
import { broadcastRawTransaction } from "./broadcastRawTransaction.js";
import type { Executor } from "./createExecutor.js";
import { signAndSend } from "./signAndSend.js";

/** A transaction in its final state at the executor's confirmation depth. */
export interface SettledTransaction {
  status: "mined" | "reverted" | "dropped";
  vault: string;
  decisionId: number | null;
  nonce: number;
  /** The hash that was mined (or the newest one journaled, when dropped). */
  hash: Hash;
  /** Every hash journaled for this nonce: the original and its replacements. */
  hashes: Hash[];
  blockNumber: bigint | null;
  gasUsed: bigint | null;
  effectiveGasPrice: bigint | null;
}

export type FollowTransactionReturnType =
  SettledTransaction | { status: "pending"; vault: string; nonce: number; hash: Hash };

export interface FollowTransactionParameters {
  nonce: number;
  /** Stops following (the journal keeps it in flight, to be resumed on restart). */
  signal?: AbortSignal;
}

const isNotFound = (error: unknown) =>
  error instanceof TransactionReceiptNotFoundError || error instanceof TransactionNotFoundError;

/**
 * Follows every journaled transaction of one nonce until one of them is final at the confirmation depth:
 * polls receipts; re-broadcasts the same bytes when the node has forgotten them; after `replaceAfterMs`
 * without a receipt, signs a replacement with the same nonce and fees bumped by `feeBumpPercent` (never
 * above the caps); marks the nonce dropped when the account's nonce moved past it with none of ours mined.
 * RPC errors are logged and retried; only `signal` stops it early.
 */
export async function followTransaction(
  executor: Executor,
  { nonce, signal }: FollowTransactionParameters,
): Promise<FollowTransactionReturnType> {
  const { client, account, chainId, db, log } = executor;
  let lastSentAt = Date.now();
  for (;;) {
    const rows = transactionsOfNonce(db, chainId, account.address, nonce).filter(
      (r) => r.status === "signed" || r.status === "sent",
    );
    const newest = rows.at(-1);
    if (newest === undefined) throw new Error(`no transaction of nonce ${nonce} is in flight`);
    if (signal?.aborted) return { status: "pending", vault: newest.vault, nonce, hash: newest.hash };
    try {
      const mined = await findReceipt(executor, rows);
      if (mined !== null) {
        const head = await client.getBlockNumber({ cacheTime: 0 });
        if (head - mined.receipt.blockNumber >= BigInt(executor.confirmations)) {
          // Deep enough, but make sure the block that held it was not reorganised away meanwhile.
          const again = await findReceipt(executor, [mined.row]);
          if (again !== null && again.receipt.blockHash === mined.receipt.blockHash)
            return settle(executor, rows, mined.row, mined.receipt);
        }
      } else if (
        (await client.getTransactionCount({ address: account.address, blockTag: "latest" })) > nonce
      ) {
        // The nonce is used. One more look, in case ours was mined between the two reads.
        const late = await findReceipt(executor, rows);
        if (late === null) return drop(executor, rows);
      } else {
        const known = await client.getTransaction({ hash: newest.hash }).catch((error: unknown) => {
          if (isNotFound(error)) return null;
          throw error;
        });
        if (known === null) {
          const outcome = await broadcastRawTransaction(executor, newest.raw);
          if (outcome.result === "accepted") setTransactionOutcome(db, newest.hash, { status: "sent" });
          log.warn(
            { vault: newest.vault, hash: newest.hash, nonce, outcome: outcome.result },
            "transaction unknown to the node: re-broadcast the same bytes",
          );
        }
        if (Date.now() - lastSentAt >= executor.replaceAfterMs) {
          await replace(executor, newest);
          lastSentAt = Date.now();
        }
      }
    } catch (error) {
      log.warn({ err: error, nonce }, "following a transaction failed; retrying");
    }
    await sleep(executor.pollingIntervalMs, signal);
  }
}

async function findReceipt(
  executor: Executor,
  rows: TransactionRow[],
): Promise<{ row: TransactionRow; receipt: TransactionReceipt } | null> {
  for (const row of [...rows].reverse()) {
    try {
      return { row, receipt: await executor.client.getTransactionReceipt({ hash: row.hash }) };
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
  return null;
}

function settle(
  executor: Executor,
  rows: TransactionRow[],
  row: TransactionRow,
  receipt: TransactionReceipt,
): SettledTransaction {
  const status = receipt.status === "success" ? "mined" : "reverted";
  inTransaction(executor.db, () => {
    setTransactionOutcome(executor.db, row.hash, {
      status,
      blockNumber: receipt.blockNumber,
      gasUsed: receipt.gasUsed,
      effectiveGasPrice: receipt.effectiveGasPrice,
    });
    for (const other of rows)
      if (other.hash !== row.hash) setTransactionOutcome(executor.db, other.hash, { status: "replaced" });
  });
  const settled: SettledTransaction = {
    status,
    vault: row.vault,
    decisionId: row.decisionId,
    nonce: row.nonce,
    hash: row.hash,
    hashes: rows.map((r) => r.hash),
    blockNumber: receipt.blockNumber,
    gasUsed: receipt.gasUsed,
    effectiveGasPrice: receipt.effectiveGasPrice,
  };
  executor.log.info(
    {
      vault: row.vault,
      hash: row.hash,
      nonce: row.nonce,
      status,
      gasUsed: receipt.gasUsed,
      block: receipt.blockNumber,
    },
    "transaction settled",
  );
  return settled;
}

function drop(executor: Executor, rows: TransactionRow[]): SettledTransaction {
  inTransaction(executor.db, () => {
    for (const row of rows)
      setTransactionOutcome(executor.db, row.hash, {
        status: "dropped",
        error: "the nonce was used by a transaction not in the journal",
      });
  });
  executor.nextNonce = undefined;
  const newest = rows.at(-1)!;
  const settled: SettledTransaction = {
    status: "dropped",
    vault: newest.vault,
    decisionId: newest.decisionId,
    nonce: newest.nonce,
    hash: newest.hash,
    hashes: rows.map((r) => r.hash),
    blockNumber: null,
    gasUsed: null,
    effectiveGasPrice: null,
  };
  executor.log.warn(
    { vault: newest.vault, nonce: newest.nonce },
    "nonce used elsewhere: transaction dropped",
  );
  return settled;
}

/** Same nonce, same call, fees raised by feeBumpPercent (at least +10 % each, as nodes require), capped. */
async function replace(executor: Executor, stuck: TransactionRow): Promise<void> {
  const bump = (value: bigint) =>
    (value * BigInt(Math.round((100 + executor.feeBumpPercent) * 100)) + 9_999n) / 10_000n;
  const tip = bump(stuck.maxPriorityFeePerGas);
  const maxFee = bump(stuck.maxFeePerGas);
  const minimum = (value: bigint) => (value * 110n + 99n) / 100n;
  const cappedTip = tip > executor.fees.maxPriorityFeePerGas ? executor.fees.maxPriorityFeePerGas : tip;
  const cappedMax = maxFee > executor.fees.maxFeePerGas ? executor.fees.maxFeePerGas : maxFee;
  if (cappedTip < minimum(stuck.maxPriorityFeePerGas) || cappedMax < minimum(stuck.maxFeePerGas)) {
    executor.log.warn(
      { vault: stuck.vault, hash: stuck.hash, nonce: stuck.nonce },
      "transaction stuck at the fee caps: cannot replace it, still waiting",
    );
    return;
  }
  const { data = "0x", value = 0n } = parseTransaction(stuck.raw);
  const sent = await signAndSend(executor, {
    vault: stuck.vault,
    decisionId: stuck.decisionId,
    to: stuck.to,
    data,
    value,
    functionName: stuck.functionName,
    nonce: stuck.nonce,
    gas: stuck.gasLimit,
    maxFeePerGas: cappedMax,
    maxPriorityFeePerGas: cappedTip,
    replaces: stuck.hash,
  });
  executor.log.warn(
    {
      vault: stuck.vault,
      nonce: stuck.nonce,
      replaced: stuck.hash,
      hash: sent.hash,
      maxFeePerGas: cappedMax,
      maxPriorityFeePerGas: cappedTip,
      status: sent.status,
    },
    "replaced a stuck transaction with bumped fees",
  );
}
