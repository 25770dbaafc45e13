import { existsSync } from "node:fs";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { createSecretScrubber } from "../keeper/ops/scrubSecrets.js";
import { createKeeperClient } from "../keeper/rpc/createKeeperClient.js";
import { formatVaultStatus } from "../keeper/status/formatVaultStatus.js";
import { readVaultStatus } from "../keeper/status/readVaultStatus.js";
import { openKeeperDatabase } from "../storage/openKeeperDatabase.js";
import { taskKeeperConfig } from "./taskKeeperConfig.js";

interface VaultStatusArguments {
  keeperConfig: string;
  vault: string;
}

/**
 * `hardhat vault:status --keeper-config <file> [--vault <name>]`: each vault at the confirmed head as tables
 * (positions, amounts, fees owed; value, drift, IL, LVR, fees, greeks, volatility, VaR/CVaR, in range, last
 * rebalance), measured on from the keeper's database when it exists. Reads only; sends nothing.
 */
export default async function vaultStatus(
  { keeperConfig, vault }: VaultStatusArguments,
  hre: HardhatRuntimeEnvironment,
) {
  const { config, close } = await taskKeeperConfig(hre, keeperConfig);
  const scrub = createSecretScrubber(config.rpc.urls);
  const db = existsSync(config.database.path) ? openKeeperDatabase({ path: config.database.path }) : null;
  try {
    const { client } = createKeeperClient({ ...config.rpc, urls: config.rpc.urls });
    const statuses = await readVaultStatus(client, { config, vault: vault === "" ? undefined : vault, db });
    console.log(statuses.map(formatVaultStatus).join("\n\n"));
  } catch (error) {
    // eslint-disable-next-line preserve-caught-error
    throw new Error(scrub((error as Error).message));
  } finally {
    db?.close();
    await close();
  }
}
