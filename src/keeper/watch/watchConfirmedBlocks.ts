import type { Block, Hash, PublicClient } from "viem";

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

type Header = Omit<ConfirmedBlock, "head">;

function toHeader(block: Block<bigint, false, "latest">): Header {
  return {
    number: block.number,
    hash: block.hash,
    parentHash: block.parentHash,
    timestamp: block.timestamp,
    baseFeePerGas: block.baseFeePerGas ?? null,
  };
}

/**
 * Polls the chain head and offers every block once it has `confirmations` blocks on top of it, never an
 * unconfirmed one. Each new block's parent hash must equal the hash of the block offered before it;
 * when it does not, the chain reorganised below the confirmation depth: the common ancestor is found
 * among the remembered hashes, `onReorg` is told, and the blocks above it are offered again (re-read).
 * Errors never end the loop; only `signal` does.
 *
 * Requests: one `eth_getBlockByNumber("latest")` per poll. The headers it returns are kept, so a block's
 * header is already known when it becomes confirmed; a kept header is used only if it is an ancestor of the
 * head just polled (linked by parent hashes), and any missing or orphaned one is fetched by hash. With one
 * poll per new block that is one header request per block, plus one per block walked back in a reorg.
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
  /** Hashes of the blocks offered, for finding a reorg's common ancestor. */
  const history = new Map<bigint, Hash>();
  /** Headers seen recently (unconfirmed ones included), by number; only trusted once linked to the head. */
  const headers = new Map<bigint, Header>();
  let last = after;
  if (last) history.set(last.number, last.hash);
  let failures = 0;

  const remember = (number: bigint, hash: Hash) => {
    history.set(number, hash);
    history.delete(number - BigInt(historySize));
    last = { number, hash };
  };

  /** The canonical chain as of `latest`, from `latest` down to `down`, by number; extended in place. */
  const ancestry = async (chain: Map<bigint, Header>, latest: Header, down: bigint) => {
    let child = chain.get(latest.number) ?? latest;
    chain.set(latest.number, latest);
    for (let n = latest.number - 1n; n >= down && n >= 0n; n--) {
      const known = chain.get(n);
      if (known !== undefined) {
        child = known;
        continue;
      }
      let header = headers.get(n);
      if (header === undefined || header.hash !== child.parentHash) {
        header = toHeader(await client.getBlock({ blockHash: child.parentHash }));
        headers.set(n, header);
      }
      chain.set(n, header);
      child = header;
    }
    return chain;
  };

  while (!signal.aborted) {
    try {
      const latest = toHeader(await client.getBlock({ blockTag: "latest" }));
      headers.set(latest.number, latest);
      const head = latest.number;
      const target = head - BigInt(confirmations);
      const chain = new Map<bigint, Header>();
      if (last !== undefined && target - last.number > BigInt(maxCatchUpBlocks)) {
        // Too far behind to replay: make sure what was processed is still canonical, then jump.
        const known = await client.getBlock({ blockNumber: last.number });
        if (known.hash !== last.hash) await handleReorg(last.number, chain, latest);
        history.clear();
        last = undefined;
      }
      let next = last === undefined ? target : last.number + 1n;
      if (next <= target && next >= 0n) await ancestry(chain, latest, next);
      while (next <= target && next >= 0n && !signal.aborted) {
        const block = chain.get(next)!;
        if (last !== undefined && block.parentHash !== last.hash) {
          next = (await handleReorg(last.number, chain, latest)) + 1n;
          await ancestry(chain, latest, next);
          continue;
        }
        await onBlock({ ...block, head });
        remember(block.number, block.hash);
        next++;
      }
      for (const n of headers.keys()) if (n < head - BigInt(historySize + confirmations)) headers.delete(n);
      failures = 0;
      await sleep(pollingIntervalMs, signal);
    } catch (error) {
      failures++;
      onError?.(error, failures);
      await sleep(Math.min(maxBackoffMs, pollingIntervalMs * 2 ** Math.min(failures, 10)), signal);
    }
  }

  /** Walks back from `from` to the highest remembered block on the head's chain; returns its number. */
  async function handleReorg(from: bigint, chain: Map<bigint, Header>, latest: Header): Promise<bigint> {
    for (let n = from; history.has(n); n--) {
      const canonical = (await ancestry(chain, latest, n)).get(n);
      if (canonical !== undefined && canonical.hash === history.get(n)) {
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
