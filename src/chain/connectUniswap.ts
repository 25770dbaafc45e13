import type { NetworkConnection, NetworkManager } from "hardhat/types/network";

import { preflightRpc } from "./fork/preflightRpc.js";
import { deployMainnetMirror, type DeployMainnetMirrorOptions } from "./mirror/deployMainnetMirror.js";
import { mainnetDeployment, type UniswapDeployment, type UniswapTarget } from "./uniswap.js";

export class ForkNotConfiguredError extends Error {
  constructor() {
    super(
      "MAINNET_RPC_URL is not set: fork targets need an Ethereum mainnet RPC URL (the mirror needs none)",
    );
    this.name = "ForkNotConfiguredError";
  }
}

export interface UniswapConnection {
  connection: NetworkConnection;
  deployment: UniswapDeployment;
}

/**
 * A fresh simulated chain with Uniswap v3 at its mainnet addresses, either target:
 * - `mirror`: the in-process chain with deployMainnetMirror (no network needed);
 * - `fork`: the `mainnetFork` network (Ethereum mainnet at MAINNET_FORK_BLOCK, via MAINNET_RPC_URL), after a
 *   short preflight so a bad URL fails in seconds instead of hanging in Hardhat's retries.
 */
export async function connectUniswap(
  network: NetworkManager,
  target: UniswapTarget,
  mirrorOptions?: DeployMainnetMirrorOptions,
): Promise<UniswapConnection> {
  if (target === "mirror") {
    const connection = await network.create();
    return { connection, deployment: await deployMainnetMirror(connection.viem, mirrorOptions) };
  }
  const url = process.env.MAINNET_RPC_URL;
  if (url === undefined || url === "") throw new ForkNotConfiguredError();
  await preflightRpc({ url });
  const connection = await network.create("mainnetFork");
  return { connection, deployment: mainnetDeployment("fork") };
}
