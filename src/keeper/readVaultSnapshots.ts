import { erc20Abi, type Address, type PublicClient } from "viem";

import { uniswapV3PoolAbi } from "../chain/abi/uniswap.js";
import type { VaultConfig } from "./config/schema.js";
import type { PoolInfo } from "./readPoolInfo.js";
import {
  readContractsAtBlock,
  type ContractRead,
  type ContractReadResult,
} from "./rpc/readContractsAtBlock.js";
import type { BlockRef, PoolState, VaultSnapshot } from "./snapshot.js";
import type { VaultAdapter } from "./vaultAdapter.js";
import { readBlockEvents } from "./watch/readBlockEvents.js";

export class SnapshotReadError extends Error {
  constructor(what: string, block: BlockRef) {
    super(`${what} could not be read at block ${block.number} (${block.hash}); the block will be read again`);
    this.name = "SnapshotReadError";
  }
}

export interface ReadVaultSnapshotsParameters<VaultState> {
  vaults: readonly VaultConfig[];
  /** Every vault's pool and every gas price pool, read at start. */
  pools: ReadonlyMap<Address, PoolInfo>;
  block: BlockRef;
  adapter?: Pick<VaultAdapter<VaultState>, "prepare" | "reads" | "decode" | "stale" | "finish" | "events">;
  /** The node's eth_call gas cap (rpc.callGasLimit): reads needing more are split over further eth_calls. */
  callGasLimit?: number;
}

const POOL_READS = ["slot0", "liquidity", "feeGrowthGlobal0X128", "feeGrowthGlobal1X128"] as const;

/**
 * Every vault's snapshot at one confirmed block in two requests, whatever the number of vaults: one
 * `eth_getLogs` for all pools' Swap/Mint/Burn and all vaults' events, then one Multicall3 `eth_call` (each
 * distinct pool's slot0, liquidity and fee growth once, each vault's two token balances and its adapter's
 * reads, which the events let it keep to what may have changed; more than one only when their gas exceeds
 * `callGasLimit`). Both are pinned to the block's hash, so every number belongs to the same block. A vault
 * whose adapter reads turn out stale (its ranges unknown before this block) is read again: one more
 * `eth_call` for all such vaults, only in such a block.
 */
export async function readVaultSnapshots<VaultState = unknown>(
  client: PublicClient,
  { vaults, pools, block, adapter, callGasLimit }: ReadVaultSnapshotsParameters<VaultState>,
): Promise<VaultSnapshot<VaultState>[]> {
  const poolAddresses = [
    ...new Set(vaults.flatMap((v) => (v.gasPricePool === undefined ? [v.pool] : [v.pool, v.gasPricePool]))),
  ];
  const events = await readBlockEvents(client, {
    pools: poolAddresses,
    contracts: adapter ? [...new Set(vaults.map((v) => v.address))] : [],
    events: adapter?.events ?? [],
    blockHash: block.hash,
  });
  adapter?.prepare?.(block, vaults, events);

  const contracts: ContractRead[] = poolAddresses.flatMap((address) =>
    POOL_READS.map((functionName) => ({ address, abi: uniswapV3PoolAbi, functionName, gas: 10_000 })),
  );
  const vaultReads = vaults.map((vault) => {
    const info = pools.get(vault.pool)!;
    const own = [
      { address: info.token0, abi: erc20Abi, functionName: "balanceOf", args: [vault.address], gas: 8_000 },
      { address: info.token1, abi: erc20Abi, functionName: "balanceOf", args: [vault.address], gas: 8_000 },
      ...(adapter?.reads(vault) ?? []),
    ];
    const start = contracts.length;
    contracts.push(...own);
    return { start, count: own.length };
  });
  const results = await readContractsAtBlock(client, { contracts, blockHash: block.hash, callGasLimit });

  const poolStates = new Map<Address, PoolState>();
  poolAddresses.forEach((address, i) => {
    const [slot0, liquidity, fg0, fg1] = results
      .slice(i * POOL_READS.length, (i + 1) * POOL_READS.length)
      .map((r) => success(r, `pool ${address}`, block));
    const [sqrtPriceX96, tick, observationIndex, observationCardinality] = slot0 as readonly [
      bigint,
      number,
      number,
      number,
    ];
    poolStates.set(address, {
      ...pools.get(address)!,
      sqrtPriceX96,
      tick,
      observationIndex,
      observationCardinality,
      liquidity: liquidity as bigint,
      feeGrowthGlobal0X128: fg0 as bigint,
      feeGrowthGlobal1X128: fg1 as bigint,
    });
  });

  // Each pool's events once, the same array in the snapshot of every vault on that pool (as its state is).
  const poolEvents = new Map<Address, typeof events.pools>();
  for (const address of poolAddresses)
    poolEvents.set(
      address,
      events.pools.filter((e) => e.pool === address),
    );
  const snapshots = vaults.map((vault, i): VaultSnapshot<VaultState> => {
    const { start, count } = vaultReads[i]!;
    const own = results.slice(start, start + count);
    const [token0, token1] = own
      .slice(0, 2)
      .map((r) => success(r, `balances of vault ${vault.name}`, block)) as [bigint, bigint];
    const pool = poolStates.get(vault.pool)!;
    const balances = { token0, token1 };
    return {
      vault: vault.name,
      address: vault.address,
      block,
      pool,
      balances,
      events: poolEvents.get(vault.pool)!,
      vaultEvents: events.contracts.filter((e) => e.address === vault.address),
      gasPricePool: vault.gasPricePool === undefined ? null : poolStates.get(vault.gasPricePool)!,
      vaultState: adapter ? adapter.decode(vault, own.slice(2), { pool, balances, block }) : null,
    };
  });

  const stale = adapter?.stale
    ? vaults.flatMap((vault, i) => (adapter.stale!(vault, snapshots[i]!.vaultState!) ? [i] : []))
    : [];
  if (stale.length > 0) {
    const again = stale.map((i) => adapter!.reads(vaults[i]!));
    const reread = await readContractsAtBlock(client, {
      contracts: again.flat(),
      blockHash: block.hash,
      callGasLimit,
    });
    let offset = 0;
    stale.forEach((i, k) => {
      const snapshot = snapshots[i]!;
      snapshot.vaultState = adapter!.decode(vaults[i]!, reread.slice(offset, offset + again[k]!.length), {
        pool: snapshot.pool,
        balances: snapshot.balances,
        block,
      });
      offset += again[k]!.length;
    });
  }
  adapter?.finish?.(block);
  return snapshots;
}

function success(result: ContractReadResult, what: string, block: BlockRef): unknown {
  if (result.status !== "success") throw new SnapshotReadError(what, block);
  return result.result;
}
