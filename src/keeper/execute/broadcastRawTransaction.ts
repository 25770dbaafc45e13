import { BaseError, type Hex } from "viem";

import type { Executor } from "./createExecutor.js";

/**
 * accepted: a node took it (or already had it); rejected: a node refused it, so it was not taken;
 * unknown: no answer, a timeout, or an internal error — it may have been taken, so it is followed by hash.
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
    // Only a node's own refusal (invalid request, or a server error such as "nonce too low" or "underpriced",
    // -32000…-32099) proves the transaction was not taken; an internal error or a lost answer may hide a success.
    const withCode =
      error instanceof BaseError
        ? (error.walk((e) => typeof (e as { code?: unknown }).code === "number") as { code?: number } | null)
        : null;
    const code = withCode?.code;
    const refused =
      code !== undefined && (code === -32600 || code === -32602 || (code <= -32000 && code >= -32099));
    return refused ? { result: "rejected", reason: message } : { result: "unknown", reason: message };
  }
}
