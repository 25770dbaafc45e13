import { createPublicClient, fallback, http, webSocket, type PublicClient, type Transport } from "viem";

import { countRequests, createRequestCounter, type RequestCounter } from "./countRequests.js";

export interface CreateKeeperClientParameters {
  /** Tried in order for every request; a failing URL hands the request to the next one. */
  urls: readonly string[];
  /** Per attempt. */
  timeoutMs: number;
  /** Retries of the whole fallback chain after every URL failed, with delays retryDelayMs · 2^attempt. */
  retryCount: number;
  retryDelayMs: number;
  pollingIntervalMs: number;
  counter?: RequestCounter;
}

export interface CreateKeeperClientReturnType {
  client: PublicClient;
  counter: RequestCounter;
  transport: Transport;
}

/**
 * The keeper's read client: each URL behind a counting transport with a timeout and no retries of its own,
 * all behind viem's fallback (next URL on failure, except for errors every node would repeat such as a
 * revert), which retries the chain with exponential backoff. No HTTP batching: Multicall3 already packs a
 * block's reads into one request, and counts stay one-to-one with what the provider sees.
 */
export function createKeeperClient({
  urls,
  timeoutMs,
  retryCount,
  retryDelayMs,
  pollingIntervalMs,
  counter = createRequestCounter(),
}: CreateKeeperClientParameters): CreateKeeperClientReturnType {
  const transports = urls.map((url) =>
    countRequests(
      url.startsWith("ws")
        ? webSocket(url, { timeout: timeoutMs, retryCount: 0 })
        : http(url, { timeout: timeoutMs, retryCount: 0 }),
      counter,
    ),
  );
  const transport = fallback(transports, { retryCount, retryDelay: retryDelayMs });
  const client = createPublicClient({ transport, pollingInterval: pollingIntervalMs, cacheTime: 0 });
  return { client, counter, transport };
}
