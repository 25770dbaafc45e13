import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { loadKeeperConfig } from "../keeper/config/loadKeeperConfig.js";
import { createSecretScrubber } from "../keeper/ops/scrubSecrets.js";
import { onShutdownSignal } from "../keeper/ops/onShutdownSignal.js";
import { startKeeper } from "../keeper/startKeeper.js";
import { networkRpcUrl } from "./networkRpcUrl.js";

interface KeeperArguments {
  keeperConfig: string;
  dryRun: boolean;
  allowRawKey: boolean;
}

/**
 * `hardhat keeper --keeper-config keeper.config.json [--network <name>]`: validates the config, checks the vaults
 * against the chain, then runs the keeper until SIGINT or SIGTERM. The chain is the config's rpc.urls, or with
 * --network that network (its URL; an in-process network is served on 127.0.0.1 for the keeper).
 */
export default async function keeper(
  { keeperConfig: path, dryRun, allowRawKey }: KeeperArguments,
  hre: HardhatRuntimeEnvironment,
) {
  if (path === "")
    throw new Error(
      "--keeper-config is required: the path of a keeper config file (.json, .yaml or .yml); see docs/keeper.md",
    );
  const network = await networkRpcUrl(hre);
  const shutdown = onShutdownSignal();
  let scrub = (text: string) => text;
  try {
    const config = await loadKeeperConfig({ path, rpcUrls: network === null ? undefined : [network.url] });
    if (dryRun) config.dryRun = true;
    scrub = createSecretScrubber([...config.rpc.urls, ...(config.privateTx ? [config.privateTx.url] : [])]);
    await startKeeper({ config, signal: shutdown.signal, allowRawKey });
  } catch (error) {
    // Library errors (viem's) may quote an RPC URL: only the scrubbed message leaves the process, and the
    // original is deliberately not attached as `cause` (Hardhat would print it).
    // eslint-disable-next-line preserve-caught-error
    throw new Error(scrub((error as Error).message));
  } finally {
    shutdown.dispose();
    await network?.close();
  }
}
