import { parseGwei, type Address, type PublicClient } from "viem";

import type { StrategySnapshot } from "../../strategies/types.js";
import { rebalancesOf, type RebalanceRow } from "../../storage/rebalances.js";
import type { KeeperDatabase } from "../../storage/openKeeperDatabase.js";
import { firstSnapshotBlock, latestSnapshot } from "../../storage/snapshots.js";
import type { KeeperConfig } from "../config/schema.js";
import { createMeasure } from "../measure/measureVault.js";
import { readPoolInfo } from "../readPoolInfo.js";
import { readVaultSnapshots } from "../readVaultSnapshots.js";
import type { StoredSnapshot } from "../runKeeper.js";
import type { BlockRef, Measurements, PoolState } from "../snapshot.js";
import { createRangeVaultAdapter } from "../vault/rangeVaultAdapter.js";
import type { VaultState } from "../vault/vaultState.js";

export interface VaultStatus {
  name: string;
  address: Address;
  block: BlockRef;
  pool: PoolState;
  vault: VaultState;
  measurements: Measurements;
  strategySnapshot: StrategySnapshot | null;
  /** The keeper's database through this block (history-based figures accrue from its first block), or null. */
  history: { firstBlock: bigint; lastBlock: bigint } | null;
  /** The vault's last rebalance as the keeper recorded it, if it did. */
  lastRebalance: RebalanceRow | null;
}

export class UnknownVaultError extends Error {
  constructor(name: string, known: readonly string[]) {
    super(`--vault: no vault named "${name}" in the keeper config; expected one of ${known.join(", ")}`);
    this.name = "UnknownVaultError";
  }
}

export interface ReadVaultStatusParameters {
  config: KeeperConfig;
  /** One vault by its config name; all when omitted. */
  vault?: string;
  /** The keeper's database, when it exists: its carried state continues the measurements (IL references, LVR). */
  db: KeeperDatabase | null;
}

/**
 * Each configured vault at the confirmed head: the chain read as the keeper reads it (one batched call), measured
 * with the state the keeper's database carries for it (so IL since inception and since the last rebalance, LVR
 * and fees collected continue from the keeper's history), and its last recorded rebalance.
 */
export async function readVaultStatus(
  client: PublicClient,
  { config, vault, db }: ReadVaultStatusParameters,
): Promise<VaultStatus[]> {
  const vaults = vault === undefined ? config.vaults : config.vaults.filter((v) => v.name === vault);
  if (vaults.length === 0)
    throw new UnknownVaultError(
      vault!,
      config.vaults.map((v) => v.name),
    );
  const latest = await client.getBlock({ blockTag: "latest" });
  const confirmed = await client.getBlock({
    blockNumber: latest.number - BigInt(Math.min(config.confirmations, Number(latest.number))),
  });
  const block: BlockRef = {
    number: confirmed.number,
    hash: confirmed.hash,
    timestamp: confirmed.timestamp,
    baseFeePerGas: confirmed.baseFeePerGas ?? null,
  };
  const pools = await readPoolInfo(client, {
    blockHash: block.hash,
    pools: vaults.flatMap((v, i) => [
      { address: v.pool, field: `vaults[${i}].pool` },
      ...(v.gasPricePool === undefined
        ? []
        : [{ address: v.gasPricePool, field: `vaults[${i}].gasPricePool` }]),
    ]),
  });
  const snapshots = await readVaultSnapshots(client, {
    vaults,
    pools,
    block,
    adapter: createRangeVaultAdapter({ lens: config.vaultLens }),
    callGasLimit: config.rpc.callGasLimit,
  });
  const measure = createMeasure({
    measure: config.measure,
    weth: config.weth,
    priorityFeePerGas: parseGwei(String(config.gas.maxPriorityFeePerGasGwei)),
    maxFeePerGas: parseGwei(String(config.gas.maxFeePerGasGwei)),
  });
  return vaults.map((v, i) => {
    const snapshot = snapshots[i]!;
    const stored = db === null ? null : latestSnapshot<StoredSnapshot>(db, v.name);
    // The keeper's own record of this very block, or a measurement continuing from its last one.
    const measured =
      stored !== null && stored.blockHash === block.hash
        ? { measurements: stored.data.measurements, strategySnapshot: stored.data.strategySnapshot }
        : measure(
            snapshot as Parameters<typeof measure>[0],
            stored !== null && stored.blockNumber < block.number ? stored.data.carry.measure : null,
          );
    const first = db === null ? undefined : firstSnapshotBlock(db, v.name);
    return {
      name: v.name,
      address: v.address,
      block,
      pool: snapshot.pool,
      vault: snapshot.vaultState!,
      measurements: measured.measurements,
      strategySnapshot: measured.strategySnapshot,
      history:
        stored === null || first === undefined ? null : { firstBlock: first, lastBlock: stored.blockNumber },
      lastRebalance: db === null ? null : (rebalancesOf(db, v.name).at(-1) ?? null),
    };
  });
}
