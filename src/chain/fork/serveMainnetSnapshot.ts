import { serveJsonRpc, type JsonRpcServer } from "../serveJsonRpc.js";
import type { MainnetSnapshot } from "./mainnetSnapshot.js";
import { snapshotJsonRpcBackend, type UnrecordedReads } from "./snapshotJsonRpcBackend.js";

export interface SnapshotReadCounts {
  /** Every request, by method: what the client (e.g. Hardhat's forking) asked for. */
  requests: Record<string, number>;
  /** Reads answered as empty because the recording does not hold them, by method and subject. */
  unrecorded: UnrecordedReads;
}

export interface MainnetSnapshotServer extends JsonRpcServer {
  /** The pinned block's number. */
  block: bigint;
  /** A copy of the counts so far; subtract two copies to see what one test read. */
  counts(): SnapshotReadCounts;
}

export interface ServeMainnetSnapshotParameters {
  /** 0 picks a free port. */
  port?: number;
}

/**
 * Serves a recorded mainnet snapshot as an Ethereum JSON-RPC endpoint on 127.0.0.1 (serveJsonRpc), for
 * Hardhat's forking to fork from instead of a real RPC, counting requests by method and the reads the
 * recording could not answer.
 */
export async function serveMainnetSnapshot(
  snapshot: MainnetSnapshot,
  { port = 0 }: ServeMainnetSnapshotParameters = {},
): Promise<MainnetSnapshotServer> {
  const backend = snapshotJsonRpcBackend(snapshot);
  const requests: Record<string, number> = {};
  const server = await serveJsonRpc(backend, {
    port,
    onRequest: (method) => (requests[method] = (requests[method] ?? 0) + 1),
  });
  return {
    ...server,
    block: BigInt(snapshot.block.number),
    counts: () => ({ requests: { ...requests }, unrecorded: backend.unrecordedReads() }),
  };
}
