import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import type { ExecuteCallReturnType } from "../keeper/execute/executeCall.js";
import type { FollowTransactionReturnType } from "../keeper/execute/followTransaction.js";
import { onShutdownSignal } from "../keeper/ops/onShutdownSignal.js";
import { createSecretScrubber } from "../keeper/ops/scrubSecrets.js";
import type { BlockSummary } from "../keeper/runKeeper.js";
import { startKeeper } from "../keeper/startKeeper.js";
import { formatRebalanceReport } from "../keeper/status/formatRebalanceReport.js";
import { UnknownVaultError } from "../keeper/status/readVaultStatus.js";
import { openKeeperDatabase } from "../storage/openKeeperDatabase.js";
import { rebalancesOf } from "../storage/rebalances.js";
import { taskKeeperConfig } from "./taskKeeperConfig.js";

interface VaultRebalanceArguments {
  keeperConfig: string;
  vault: string;
  dryRun: boolean;
  allowRawKey: boolean;
}

/**
 * `hardhat vault:rebalance --keeper-config <file> [--vault <name>] [--dry-run]`: one decision of the vault's
 * configured strategy on the confirmed head, exactly as the keeper makes it (same measurements, memory, risk
 * limits and database, locked against a running keeper), then the rebalance simulated, sent and followed to
 * its receipt; with --dry-run simulated and signed, nothing sent. Prints reasons, economics, plan and outcome.
 */
export default async function vaultRebalance(args: VaultRebalanceArguments, hre: HardhatRuntimeEnvironment) {
  const { config, close } = await taskKeeperConfig(hre, args.keeperConfig);
  const scrub = createSecretScrubber([
    ...config.rpc.urls,
    ...(config.privateTx ? [config.privateTx.url] : []),
  ]);
  const shutdown = onShutdownSignal();
  try {
    const names = config.vaults.map((v) => v.name);
    if (args.vault === "" && names.length > 1)
      throw new Error(
        `--vault is required: the keeper config has ${names.length} vaults (${names.join(", ")})`,
      );
    const vault = args.vault === "" ? config.vaults[0]! : config.vaults.find((v) => v.name === args.vault);
    if (vault === undefined) throw new UnknownVaultError(args.vault, names);
    config.vaults = [vault];
    if (args.dryRun) config.dryRun = true;
    config.metrics = { ...config.metrics, enabled: false };
    config.log = { level: "warn", pretty: true };
    let summary: BlockSummary | undefined;
    let outcome: ExecuteCallReturnType | FollowTransactionReturnType | null = null;
    await startKeeper({
      config,
      signal: shutdown.signal,
      allowRawKey: args.allowRawKey,
      blocks: 1,
      cursor: "vault:rebalance",
      onBlockDone: (s) => (summary = s),
      onExecuted: (o) => (outcome = o),
    });
    if (summary === undefined) throw new Error("stopped before a confirmed block was read; nothing was sent");
    const db = openKeeperDatabase({ path: config.database.path });
    const settled = outcome as ExecuteCallReturnType | FollowTransactionReturnType | null;
    const recorded =
      settled !== null && "hash" in settled
        ? (rebalancesOf(db, vault.name).find((r) => r.txHash === settled.hash) ?? null)
        : null;
    db.close();
    console.log(formatRebalanceReport({ vault, summary, outcome: settled, recorded }));
  } catch (error) {
    // eslint-disable-next-line preserve-caught-error
    throw new Error(scrub((error as Error).message));
  } finally {
    shutdown.dispose();
    await close();
  }
}
