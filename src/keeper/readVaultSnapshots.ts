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
import { readPoolEvents } from "./watch/readPoolEvents.js";

export class SnapshotReadError extends Error {
  constructor(what: string, block: BlockRef) {
    super(`${what} could not be read at block ${block.number} (${block.hash}); the block will be read again`);
    this.name = "SnapshotReadError";
  }
}

export interface ReadVaultSnapshotsParameters<VaultState> {
  vaults: readonly VaultConfig[];
  pools: ReadonlyMap<Address, PoolInfo>;
  block: BlockRef;
  adapter?: Pick<VaultAdapter<VaultState>, "reads" | "decode">;
}

const POOL_READS = ["slot0", "liquidity", "feeGrowthGlobal0X128", "feeGrowthGlobal1X128"] as const;

/**
 * Every vault's snapshot at one confirmed block in exactly two requests, whatever the number of vaults:
 * one Multicall3 `eth_call` (each distinct pool's slot0, liquidity and fee growth once, each vault's two
 * token balances and its adapter's reads) and one `eth_getLogs` for all pools' Swap/Mint/Burn events. Both
 * are pinned to the block's hash, so every number belongs to the same block.
 */
export async function readVaultSnapshots<VaultState = unknown>(
  client: PublicClient,
  { vaults, pools, block, adapter }: ReadVaultSnapshotsParameters<VaultState>,
): Promise<VaultSnapshot<VaultState>[]> {
  const poolAddresses = [...new Set(vaults.map((v) => v.pool))];
  const contracts: ContractRead[] = poolAddresses.flatMap((address) =>
    POOL_READS.map((functionName) => ({ address, abi: uniswapV3PoolAbi, functionName })),
  );
  const vaultReads = vaults.map((vault) => {
    const info = pools.get(vault.pool)!;
    const own = [
      { address: info.token0, abi: erc20Abi, functionName: "balanceOf", args: [vault.address] },
      { address: info.token1, abi: erc20Abi, functionName: "balanceOf", args: [vault.address] },
      ...(adapter?.reads(vault) ?? []),
    ];
    const start = contracts.length;
    contracts.push(...own);
    return { start, count: own.length };
  });

  const [results, events] = await Promise.all([
    readContractsAtBlock(client, { contracts, blockHash: block.hash }),
    readPoolEvents(client, { pools: poolAddresses, blockHash: block.hash }),
  ]);

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
    const info = pools.get(address)!;
    poolStates.set(address, {
      ...info,
      sqrtPriceX96,
      tick,
      observationIndex,
      observationCardinality,
      liquidity: liquidity as bigint,
      feeGrowthGlobal0X128: fg0 as bigint,
      feeGrowthGlobal1X128: fg1 as bigint,
    });
  });

  return vaults.map((vault, i) => {
    const { start, count } = vaultReads[i]!;
    const own = results.slice(start, start + count);
    const [token0, token1] = own
      .slice(0, 2)
      .map((r) => success(r, `balances of vault ${vault.name}`, block)) as [bigint, bigint];
    return {
      vault: vault.name,
      address: vault.address,
      block,
      pool: poolStates.get(vault.pool)!,
      balances: { token0, token1 },
      events: events.filter((e) => e.pool === vault.pool),
      vaultState: adapter ? adapter.decode(vault, own.slice(2)) : null,
    };
  });
}

function success(result: ContractReadResult, what: string, block: BlockRef): unknown {
  if (result.status !== "success") throw new SnapshotReadError(what, block);
  return result.result;
}
