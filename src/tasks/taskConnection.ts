import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";

import { redactUrl } from "../keeper/config/redactUrl.js";

/**
 * The chain a task works on: `--rpc-url` (an HTTP JSON-RPC endpoint, e.g. `hardhat node:mirror`'s, with its
 * unlocked accounts) when given, else the `--network` connection.
 */
export async function taskConnection(
  hre: HardhatRuntimeEnvironment,
  rpcUrl: string,
): Promise<NetworkConnection> {
  if (rpcUrl === "") return hre.network.create();
  if (!/^https?:\/\/[^\s]+$/.test(rpcUrl) || !URL.canParse(rpcUrl))
    throw new Error(`--rpc-url must be an http(s) URL, got ${redactUrl(rpcUrl)}`);
  return hre.network.create({ network: "localhost", override: { url: rpcUrl } });
}

/** Where a task is connected, for messages: the network's name or the redacted URL. */
export function describeConnection(hre: HardhatRuntimeEnvironment, rpcUrl: string): string {
  return rpcUrl === "" ? `network ${hre.globalOptions.network ?? "default"}` : redactUrl(rpcUrl);
}
