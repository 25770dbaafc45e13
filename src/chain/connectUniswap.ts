import type { NetworkConnection, NetworkManager } from "hardhat/types/network";

import { connectMainnetFork, type MainnetForkSource } from "./fork/connectMainnetFork.js";
import { deployMainnetMirror, type DeployMainnetMirrorOptions } from "./mirror/deployMainnetMirror.js";
import { mainnetDeployment, type UniswapDeployment, type UniswapTarget } from "./uniswap.js";

export interface UniswapConnection {
  connection: NetworkConnection;
  deployment: UniswapDeployment;
  /** On the fork target: what it forks from (a real RPC, or the recorded snapshot and its server). */
  fork?: MainnetForkSource;
  /** Closes the connection, and on a snapshot fork stops the snapshot's server too. */
  close(): Promise<void>;
}

/**
 * A fresh simulated chain with Uniswap v3 at its mainnet addresses, either target:
 * - `mirror`: the in-process chain with deployMainnetMirror (no network needed);
 * - `fork`: the `mainnetFork` network at MAINNET_FORK_BLOCK (connectMainnetFork): MAINNET_RPC_URL's chain after
 *   a short preflight, or without it the recorded WBTC/WETH snapshot served on 127.0.0.1. The snapshot holds
 *   only that pool and its tokens: USDC and the USDC/WETH pools are not there.
 */
export async function connectUniswap(
  network: NetworkManager,
  target: UniswapTarget,
  mirrorOptions?: DeployMainnetMirrorOptions,
): Promise<UniswapConnection> {
  if (target === "mirror") {
    const connection = await network.create();
    return {
      connection,
      deployment: await deployMainnetMirror(connection.viem, mirrorOptions),
      close: () => connection.close(),
    };
  }
  const { connection, source, close } = await connectMainnetFork(network);
  return { connection, deployment: mainnetDeployment("fork"), fork: source, close };
}
