import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { loadKeeperConfig } from "../keeper/config/loadKeeperConfig.js";
import { noVaultAdapter } from "../keeper/noVaultAdapter.js";
import { observeStrategy } from "../keeper/observeStrategy.js";
import { createSecretScrubber } from "../keeper/ops/scrubSecrets.js";
import { onShutdownSignal } from "../keeper/ops/onShutdownSignal.js";
import { startKeeper } from "../keeper/startKeeper.js";

interface KeeperArguments {
  keeperConfig: string;
  dryRun: boolean;
  allowRawKey: boolean;
}

/**
 * `hardhat keeper --keeper-config keeper.config.json`: validates the config, then runs the keeper until SIGINT or
 * SIGTERM. The chain comes from the config's rpc.urls, not from --network. Until the vault contract and the
 * strategy library land, vaults run with the "observe" strategy (watch, measure, record, never rebalance).
 */
export default async function keeper(
  { keeperConfig: path, dryRun, allowRawKey }: KeeperArguments,
  _hre: HardhatRuntimeEnvironment,
) {
  if (path === "")
    throw new Error(
      "--keeper-config is required: the path of a keeper config file (.json, .yaml or .yml); see docs/keeper.md",
    );
  const config = await loadKeeperConfig({ path });
  if (dryRun) config.dryRun = true;
  const shutdown = onShutdownSignal();
  const scrub = createSecretScrubber([
    ...config.rpc.urls,
    ...(config.privateTx ? [config.privateTx.url] : []),
  ]);
  try {
    await startKeeper({
      config,
      strategies: [observeStrategy],
      adapter: noVaultAdapter,
      measure: () => ({}),
      signal: shutdown.signal,
      allowRawKey,
    });
  } catch (error) {
    // Library errors (viem's) may quote an RPC URL: only the scrubbed message leaves the process, and the
    // original is deliberately not attached as `cause` (Hardhat would print it).
    // eslint-disable-next-line preserve-caught-error
    throw new Error(scrub((error as Error).message));
  } finally {
    shutdown.dispose();
  }
}
