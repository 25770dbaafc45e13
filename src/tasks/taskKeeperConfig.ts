import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { loadKeeperConfig } from "../keeper/config/loadKeeperConfig.js";
import type { KeeperConfig } from "../keeper/config/schema.js";
import { networkRpcUrl } from "./networkRpcUrl.js";

/**
 * The keeper config a task works with, on the config's rpc.urls, or on the `--network` given (which then
 * replaces them). `close` releases the network connection.
 */
export async function taskKeeperConfig(
  hre: HardhatRuntimeEnvironment,
  path: string,
): Promise<{ config: KeeperConfig; close(): Promise<void> }> {
  if (path === "")
    throw new Error(
      "--keeper-config is required: the path of a keeper config file (.json, .yaml or .yml); see docs/keeper.md",
    );
  const network = await networkRpcUrl(hre);
  try {
    const config = await loadKeeperConfig({ path, rpcUrls: network === null ? undefined : [network.url] });
    return { config, close: async () => network?.close() };
  } catch (error) {
    await network?.close();
    throw error;
  }
}
