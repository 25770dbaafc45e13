import { transactionsInFlight } from "../../storage/transactions.js";
import type { Executor } from "./createExecutor.js";
import { followTransaction, type FollowTransactionReturnType } from "./followTransaction.js";

export interface ResumeInFlightParameters {
  signal?: AbortSignal;
}

/**
 * After a restart: follows every transaction the journal still has in flight (signed or sent) for this
 * signer, one nonce at a time per vault, to its final state. Nothing new is signed for a vault while its
 * nonce is followed; a transaction the node never saw is re-broadcast byte for byte (same hash).
 */
export async function resumeInFlight(
  executor: Executor,
  { signal }: ResumeInFlightParameters = {},
): Promise<FollowTransactionReturnType[]> {
  const rows = transactionsInFlight(executor.db).filter(
    (t) => t.sender === executor.account.address && t.chainId === executor.chainId,
  );
  const nonces = [...new Map(rows.map((row) => [row.nonce, row.vault])).entries()];
  for (const [, vault] of nonces) executor.busy.add(vault);
  if (nonces.length > 0)
    executor.log.info(
      { transactions: rows.map((r) => ({ vault: r.vault, nonce: r.nonce, hash: r.hash })) },
      "resuming transactions journaled before the restart",
    );
  return Promise.all(
    nonces.map(async ([nonce, vault]) => {
      try {
        return await followTransaction(executor, { nonce, signal });
      } finally {
        executor.busy.delete(vault);
      }
    }),
  );
}
