import { keccak256, type Address, type Hash, type Hex } from "viem";

import {
  journalTransaction,
  setTransactionOutcome,
  type TransactionStatus,
} from "../../storage/transactions.js";
import { broadcastRawTransaction } from "./broadcastRawTransaction.js";
import type { Executor } from "./createExecutor.js";

export interface SignAndSendParameters {
  vault: string;
  decisionId: number | null;
  to: Address;
  data: Hex;
  value: bigint;
  functionName: string;
  nonce: number;
  gas: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  replaces: Hash | null;
}

export interface SignAndSendReturnType {
  hash: Hash;
  raw: Hex;
  /** signed: broadcast with no answer (may be in a mempool); sent; failed: refused by the node; dry-run. */
  status: Extract<TransactionStatus, "signed" | "sent" | "failed" | "dry-run">;
  error?: string;
}

/**
 * Signs locally, journals the signed bytes and their hash (durably, before anything leaves the process),
 * then broadcasts unless in dry-run. A crash at any point after the journal write leaves a row whose hash
 * can be followed or whose bytes can be re-broadcast: the same transaction, never a second one.
 */
export async function signAndSend(
  executor: Executor,
  p: SignAndSendParameters,
): Promise<SignAndSendReturnType> {
  const raw = await executor.account.signTransaction!({
    type: "eip1559",
    chainId: executor.chainId,
    to: p.to,
    data: p.data,
    value: p.value,
    nonce: p.nonce,
    gas: p.gas,
    maxFeePerGas: p.maxFeePerGas,
    maxPriorityFeePerGas: p.maxPriorityFeePerGas,
  });
  const hash = keccak256(raw);
  journalTransaction(executor.db, {
    vault: p.vault,
    decisionId: p.decisionId,
    chainId: executor.chainId,
    sender: executor.account.address,
    nonce: p.nonce,
    hash,
    raw,
    to: p.to,
    functionName: p.functionName,
    gasLimit: p.gas,
    maxFeePerGas: p.maxFeePerGas,
    maxPriorityFeePerGas: p.maxPriorityFeePerGas,
    replaces: p.replaces,
    status: executor.dryRun ? "dry-run" : "signed",
  });
  if (executor.dryRun) return { hash, raw, status: "dry-run" };
  const outcome = await broadcastRawTransaction(executor, raw);
  if (outcome.result === "accepted") {
    setTransactionOutcome(executor.db, hash, { status: "sent" });
    return { hash, raw, status: "sent" };
  }
  if (outcome.result === "rejected") {
    setTransactionOutcome(executor.db, hash, { status: "failed", error: outcome.reason });
    return { hash, raw, status: "failed", error: outcome.reason };
  }
  return { hash, raw, status: "signed", error: outcome.reason };
}
