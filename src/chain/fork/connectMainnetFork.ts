import type { EdrNetworkConfigOverride } from "hardhat/types/config";
import type { NetworkConnection, NetworkManager } from "hardhat/types/network";

import { SharedDataMissingError } from "../../data/sharedDataFile.js";
import { MAINNET_FORK_BLOCK } from "./forkBlock.js";
import { preflightRpc } from "./preflightRpc.js";
import { recordedMainnetSnapshot } from "./recordedMainnetSnapshot.js";
import { serveMainnetSnapshot, type MainnetSnapshotServer } from "./serveMainnetSnapshot.js";

/** What a mainnet fork forks from: a real RPC (MAINNET_RPC_URL), or the recorded snapshot served on 127.0.0.1. */
export type MainnetForkSource = { kind: "rpc" } | { kind: "snapshot"; server: MainnetSnapshotServer };

export interface MainnetForkConnection {
  connection: NetworkConnection;
  source: MainnetForkSource;
  /** Closes the connection and, on the snapshot, stops its server. */
  close(): Promise<void>;
}

export interface ConnectMainnetForkParameters {
  /** Network settings for this connection only, e.g. `{ allowBlocksWithSameTimestamp: true }`. */
  override?: EdrNetworkConfigOverride;
}

export class ForkNotConfiguredError extends Error {
  constructor(reason: string) {
    super(
      `MAINNET_RPC_URL is not set and the recorded mainnet snapshot cannot be built (${reason}): set ` +
        `MAINNET_RPC_URL to an Ethereum mainnet archive RPC, or provide the shared data folder`,
    );
    this.name = "ForkNotConfiguredError";
  }
}

export class SnapshotBlockMismatchError extends Error {
  constructor(wanted: bigint, recorded: bigint) {
    super(
      `MAINNET_FORK_BLOCK is ${wanted}, but the recorded snapshot holds block ${recorded} only: ` +
        `set MAINNET_RPC_URL to fork another block, or unset MAINNET_FORK_BLOCK`,
    );
    this.name = "SnapshotBlockMismatchError";
  }
}

/**
 * A fresh `mainnetFork` connection. With MAINNET_RPC_URL set it forks that RPC after a short preflight (a bad
 * URL fails in seconds). Without it, the recorded WBTC/WETH snapshot is served on 127.0.0.1 and the network's
 * forking URL is pointed at it for this connection, so Hardhat's real forking code runs offline.
 */
export async function connectMainnetFork(
  network: NetworkManager,
  { override = {} }: ConnectMainnetForkParameters = {},
): Promise<MainnetForkConnection> {
  const url = process.env.MAINNET_RPC_URL;
  if (url !== undefined && url !== "") {
    await preflightRpc({ url });
    const connection = await network.create({ network: "mainnetFork", override });
    return { connection, source: { kind: "rpc" }, close: () => connection.close() };
  }
  const snapshot = await recordedMainnetSnapshot(network).catch((error: unknown) => {
    throw error instanceof SharedDataMissingError ? new ForkNotConfiguredError(error.message) : error;
  });
  if (BigInt(snapshot.block.number) !== MAINNET_FORK_BLOCK) {
    throw new SnapshotBlockMismatchError(MAINNET_FORK_BLOCK, BigInt(snapshot.block.number));
  }
  const server = await serveMainnetSnapshot(snapshot);
  try {
    const connection = await network.create({
      network: "mainnetFork",
      override: { ...override, forking: { url: server.url, blockNumber: MAINNET_FORK_BLOCK } },
    });
    return {
      connection,
      source: { kind: "snapshot", server },
      close: async () => {
        await connection.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
