import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { serveJsonRpc } from "../chain/serveJsonRpc.js";

/**
 * The JSON-RPC URL of the network given with --network, or null without the option: an HTTP network's own
 * URL, or an in-process network served on 127.0.0.1 (so processes and clients of their own can attach).
 */
export async function networkRpcUrl(
  hre: HardhatRuntimeEnvironment,
): Promise<{ url: string; close(): Promise<void> } | null> {
  if (hre.globalOptions.network === undefined) return null;
  const connection = await hre.network.create();
  const config = connection.networkConfig;
  if (config.type === "http") {
    const url = await config.url.getUrl();
    return { url, close: () => connection.close() };
  }
  const server = await serveJsonRpc(connection.provider);
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await connection.close();
    },
  };
}
