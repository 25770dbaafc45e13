import type { Address, Hash, Hex } from "viem";

import type { KeeperDatabase } from "./openKeeperDatabase.js";
import { statement } from "./statement.js";

/**
 * signed: journaled before broadcast (it may or may not have reached a node); sent: a node accepted it;
 * mined / reverted: its receipt is final at the keeper's confirmation depth; replaced: another transaction
 * of the same nonce was mined; dropped: the nonce was used by a transaction not in this journal; failed: no
 * node accepted it; dry-run: signed in dry-run mode, never sent.
 */
export type TransactionStatus =
  "signed" | "sent" | "mined" | "reverted" | "replaced" | "dropped" | "failed" | "dry-run";

/** Statuses of a transaction that may still be mined: a vault with one of these has a transaction in flight. */
export const IN_FLIGHT_STATUSES: readonly TransactionStatus[] = ["signed", "sent"];

export interface TransactionRow {
  id: number;
  vault: string;
  decisionId: number | null;
  chainId: number;
  sender: Address;
  nonce: number;
  hash: Hash;
  raw: Hex;
  to: Address;
  functionName: string;
  gasLimit: bigint;
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  /** Hash of the transaction this one replaced (same nonce, higher fees). */
  replaces: Hash | null;
  status: TransactionStatus;
  blockNumber: bigint | null;
  gasUsed: bigint | null;
  effectiveGasPrice: bigint | null;
  error: string | null;
}

export type JournalTransactionParameters = Omit<
  TransactionRow,
  "id" | "blockNumber" | "gasUsed" | "effectiveGasPrice" | "error"
>;

/** Records a signed transaction; call it before broadcasting, so a crash after the broadcast leaves a trace. */
export function journalTransaction(db: KeeperDatabase, t: JournalTransactionParameters): number {
  const now = Date.now();
  const row = statement(
    db,
    `INSERT INTO transactions (vault, decision_id, chain_id, sender, nonce, hash, raw, to_address, function_name, gas_limit,
         max_fee_per_gas, max_priority_fee_per_gas, replaces, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  ).get(
    t.vault,
    t.decisionId,
    t.chainId,
    t.sender,
    t.nonce,
    t.hash,
    t.raw,
    t.to,
    t.functionName,
    t.gasLimit.toString(),
    t.maxFeePerGas.toString(),
    t.maxPriorityFeePerGas.toString(),
    t.replaces,
    t.status,
    now,
    now,
  ) as { id: number };
  return row.id;
}

export interface SetTransactionOutcomeParameters {
  status: TransactionStatus;
  blockNumber?: bigint;
  gasUsed?: bigint;
  effectiveGasPrice?: bigint;
  error?: string;
}

export function setTransactionOutcome(
  db: KeeperDatabase,
  hash: Hash,
  o: SetTransactionOutcomeParameters,
): void {
  statement(
    db,
    `UPDATE transactions SET status = ?, block_number = COALESCE(?, block_number), gas_used = COALESCE(?, gas_used),
         effective_gas_price = COALESCE(?, effective_gas_price), error = COALESCE(?, error), updated_at = ? WHERE hash = ?`,
  ).run(
    o.status,
    o.blockNumber === undefined ? null : Number(o.blockNumber),
    o.gasUsed?.toString() ?? null,
    o.effectiveGasPrice?.toString() ?? null,
    o.error ?? null,
    Date.now(),
    hash,
  );
}

/** Transactions that may still be mined (signed or sent), oldest first; of one vault when given. */
export function transactionsInFlight(db: KeeperDatabase, vault?: string): TransactionRow[] {
  const statuses = IN_FLIGHT_STATUSES.map((s) => `'${s}'`).join(", ");
  const rows =
    vault === undefined
      ? statement(db, `SELECT * FROM transactions WHERE status IN (${statuses}) ORDER BY id`).all()
      : statement(
          db,
          `SELECT * FROM transactions WHERE status IN (${statuses}) AND vault = ? ORDER BY id`,
        ).all(vault);
  return (rows as Record<string, unknown>[]).map(toTransactionRow);
}

/** Every journaled transaction of one sender's nonce (the original and its replacements), oldest first. */
export function transactionsOfNonce(
  db: KeeperDatabase,
  chainId: number,
  sender: Address,
  nonce: number,
): TransactionRow[] {
  return (
    statement(
      db,
      "SELECT * FROM transactions WHERE chain_id = ? AND sender = ? AND nonce = ? ORDER BY id",
    ).all(chainId, sender, nonce) as Record<string, unknown>[]
  ).map(toTransactionRow);
}

/** The transactions sent for one decision (the original and any replacement), oldest first. */
export function transactionsOfDecision(db: KeeperDatabase, decisionId: number): TransactionRow[] {
  return (
    statement(db, "SELECT * FROM transactions WHERE decision_id = ? ORDER BY id").all(decisionId) as Record<
      string,
      unknown
    >[]
  ).map(toTransactionRow);
}

/** A vault's transactions, oldest first. */
export function transactionsOf(db: KeeperDatabase, vault: string): TransactionRow[] {
  return (
    statement(db, "SELECT * FROM transactions WHERE vault = ? ORDER BY id").all(vault) as Record<
      string,
      unknown
    >[]
  ).map(toTransactionRow);
}

function toTransactionRow(row: Record<string, unknown>): TransactionRow {
  const big = (v: unknown) => (v === null ? null : BigInt(v as string | number));
  return {
    id: row.id as number,
    vault: row.vault as string,
    decisionId: row.decision_id as number | null,
    chainId: row.chain_id as number,
    sender: row.sender as Address,
    nonce: row.nonce as number,
    hash: row.hash as Hash,
    raw: row.raw as Hex,
    to: row.to_address as Address,
    functionName: row.function_name as string,
    gasLimit: BigInt(row.gas_limit as string),
    maxFeePerGas: BigInt(row.max_fee_per_gas as string),
    maxPriorityFeePerGas: BigInt(row.max_priority_fee_per_gas as string),
    replaces: row.replaces as Hash | null,
    status: row.status as TransactionStatus,
    blockNumber: big(row.block_number),
    gasUsed: big(row.gas_used),
    effectiveGasPrice: big(row.effective_gas_price),
    error: row.error as string | null,
  };
}
