import type { Hash, PublicClient } from "viem";

import { sleep } from "../sleep.js";

/** A block the keeper may act on: at least `confirmations` blocks lie on top of it. */
export interface ConfirmedBlock {
  number: bigint;
  hash: Hash;
  parentHash: Hash;
  timestamp: bigint;
  baseFeePerGas: bigint | null;
  /** The chain head when this block was taken up. */
  head: bigint;
}

export interface Reorg {
  /** Highest block still shared by the old and the new chain. */
  commonAncestor: bigint;
  /** Confirmed blocks the keeper had processed that are no longer canonical: commonAncestor+1 … orphanedTo. */
  orphanedTo: bigint;
  depth: number;
}

export interface WatchConfirmedBlocksParameters {
  confirmations: number;
  pollingIntervalMs: number;
  /** Called once per confirmed block, in order. If it throws, the same block is offered again next poll. */
  onBlock: (block: ConfirmedBlock) => Promise<void>;
  /** Called before blocks above the common ancestor are offered again. */
  onReorg?: (reorg: Reorg) => Promise<void>;
  /** RPC failures, timeouts, onBlock failures: reported, then retried after a backoff; the loop goes on. */
  onError?: (error: unknown, consecutive: number) => void;
  /** Start after this block (e.g. the last one processed before a restart) instead of at the confirmed head. */
  after?: { number: bigint; hash: Hash };
  /** Blocks remembered for finding the common ancestor of a reorg. */
  historySize?: number;
  /** When further behind than this, skip to the confirmed head instead of replaying every block. */
  maxCatchUpBlocks?: number;
  /** Longest pause after repeated errors. */
  maxBackoffMs?: number;
  signal: AbortSignal;
}

export class ReorgTooDeepError extends Error {
  constructor(depth: number) {
    super(`A reorg went deeper than the ${depth} blocks remembered; restarting from the confirmed head`);
    this.name = "ReorgTooDeepError";
  }
}

/**
 * Polls the chain and offers every block once it has `confirmations` blocks on top of it, never an
 * unconfirmed one. Each new block's parent hash must equal the hash of the block offered before it;
 * when it does not, the chain reorganised below the confirmation depth: the common ancestor is found
 * among the remembered hashes, `onReorg` is told, and the blocks above it are offered again (re-read).
 * Errors never end the loop; only `signal` does. Requests per block: one `eth_blockNumber` per poll and one
 * `eth_getBlockByNumber` per block (plus one per block walked back in a reorg).
 */
export async function watchConfirmedBlocks(
  client: PublicClient,
  {
    confirmations,
    pollingIntervalMs,
    onBlock,
    onReorg,
    onError,
    after,
    historySize = 128,
    maxCatchUpBlocks = 64,
    maxBackoffMs = 30_000,
    signal,
  }: WatchConfirmedBlocksParameters,
): Promise<void> {
  const history = new Map<bigint, Hash>();
  let last = after;
  if (last) history.set(last.number, last.hash);
  let failures = 0;

  const remember = (number: bigint, hash: Hash) => {
    history.set(number, hash);
    history.delete(number - BigInt(historySize));
    last = { number, hash };
  };

  while (!signal.aborted) {
    try {
      const head = await client.getBlockNumber({ cacheTime: 0 });
      const target = head - BigInt(confirmations);
      if (last !== undefined && target - last.number > BigInt(maxCatchUpBlocks)) {
        // Too far behind to replay: make sure what was processed is still canonical, then jump.
        const known = await client.getBlock({ blockNumber: last.number });
        if (known.hash !== last.hash) await handleReorg(last.number);
        history.clear();
        last = undefined;
      }
      let next = last === undefined ? target : last.number + 1n;
      while (next <= target && next >= 0n && !signal.aborted) {
        const block = await client.getBlock({ blockNumber: next });
        if (last !== undefined && block.parentHash !== last.hash) {
          next = (await handleReorg(last.number)) + 1n;
          continue;
        }
        await onBlock({
          number: block.number,
          hash: block.hash,
          parentHash: block.parentHash,
          timestamp: block.timestamp,
          baseFeePerGas: block.baseFeePerGas ?? null,
          head,
        });
        remember(block.number, block.hash);
        next++;
      }
      failures = 0;
      await sleep(pollingIntervalMs, signal);
    } catch (error) {
      failures++;
      onError?.(error, failures);
      await sleep(Math.min(maxBackoffMs, pollingIntervalMs * 2 ** Math.min(failures, 10)), signal);
    }
  }

  /** Walks back from `from` to the highest remembered block still canonical; returns its number. */
  async function handleReorg(from: bigint): Promise<bigint> {
    for (let n = from; history.has(n); n--) {
      const canonical = await client.getBlock({ blockNumber: n });
      if (canonical.hash === history.get(n)) {
        const reorg = { commonAncestor: n, orphanedTo: from, depth: Number(from - n) };
        for (let k = n + 1n; k <= from; k++) history.delete(k);
        last = { number: n, hash: canonical.hash };
        await onReorg?.(reorg);
        return n;
      }
    }
    const depth = history.size;
    history.clear();
    last = undefined;
    await onReorg?.({ commonAncestor: -1n, orphanedTo: from, depth });
    throw new ReorgTooDeepError(depth);
  }
}
