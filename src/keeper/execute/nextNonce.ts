import { transactionsInFlight } from "../../storage/transactions.js";
import type { Executor } from "./createExecutor.js";

/**
 * The nonce for a new transaction: the highest of the chain's pending count, what this process used last,
 * and one past any nonce still in flight in the journal (a broadcast the node may not have reported yet).
 */
export async function nextNonce(executor: Executor): Promise<number> {
  const pending = await executor.client.getTransactionCount({
    address: executor.account.address,
    blockTag: "pending",
  });
  const journaled = transactionsInFlight(executor.db)
    .filter((t) => t.sender === executor.account.address && t.chainId === executor.chainId)
    .reduce((max, t) => Math.max(max, t.nonce + 1), 0);
  return Math.max(pending, executor.nextNonce ?? 0, journaled);
}
