import { BaseError, type Hex } from "viem";

import type { Executor } from "./createExecutor.js";

/**
 * accepted: a node took it (or already had it); rejected: a node answered with a JSON-RPC error, so it
 * was not taken; unknown: no answer (timeout, connection lost) — it may have been taken.
 */
export type BroadcastOutcome =
  { result: "accepted" } | { result: "rejected"; reason: string } | { result: "unknown"; reason: string };

/** Sends signed bytes with eth_sendRawTransaction (to the private endpoint when configured) and classifies the answer. */
export async function broadcastRawTransaction(
  executor: Pick<Executor, "broadcastClient">,
  raw: Hex,
): Promise<BroadcastOutcome> {
  try {
    await executor.broadcastClient.sendRawTransaction({ serializedTransaction: raw });
    return { result: "accepted" };
  } catch (error) {
    const message = error instanceof BaseError ? error.shortMessage : String(error);
    const details = error instanceof BaseError ? `${error.details ?? ""} ${error.shortMessage}` : message;
    if (/already known|known transaction|already imported/i.test(details)) return { result: "accepted" };
    const answered =
      error instanceof BaseError &&
      error.walk((e) => typeof (e as { code?: unknown }).code === "number") !== null;
    return answered ? { result: "rejected", reason: message } : { result: "unknown", reason: message };
  }
}
