import { getAddress, type Address, type PublicClient } from "viem";

import { uniswapV3PoolAbi } from "../../chain/abi/uniswap.js";
import { rangeVaultAbi, rangeVaultLensAbi } from "../../chain/vault/abi.js";
import type { KeeperConfig } from "../config/schema.js";
import { readContractsAtBlock, type ContractRead } from "../rpc/readContractsAtBlock.js";
import type { LensVaultState } from "./vaultState.js";

/** The chain disagrees with the config: every problem found, each naming its config field. Nothing was sent. */
export class VaultCheckError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(
      `The configured vaults do not match the chain; fix these and start again (nothing was sent):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "VaultCheckError";
    this.problems = problems;
  }
}

export interface CheckRangeVaultsParameters {
  config: Pick<KeeperConfig, "vaults" | "vaultLens" | "weth">;
  /** The keeper's signer: it must be each acting vault's keeper. */
  account: Address;
  callGasLimit?: number;
}

/**
 * Before the keeper starts, in one batched request: each vault answers as a RangeVault through the lens, on
 * the configured pool; the signer is its keeper (unless its strategy is "observe", which never sends);
 * its tickTolerance is within the vault's maxTwapDeviation (the vault refuses larger); and its gas can be
 * priced in token1 (a WETH pair, or a gasPricePool of WETH and token1).
 */
export async function checkRangeVaults(
  client: PublicClient,
  { config, account, callGasLimit }: CheckRangeVaultsParameters,
): Promise<void> {
  const latest = await client.getBlock({ blockTag: "latest" });
  const perVault = (v: KeeperConfig["vaults"][number]): ContractRead[] => [
    {
      address: config.vaultLens,
      abi: rangeVaultLensAbi,
      functionName: "getState",
      args: [v.address],
      gas: 180_000,
    },
    { address: v.address, abi: rangeVaultAbi, functionName: "pool" },
    { address: v.address, abi: rangeVaultAbi, functionName: "keeper" },
    { address: v.pool, abi: uniswapV3PoolAbi, functionName: "token0" },
    { address: v.pool, abi: uniswapV3PoolAbi, functionName: "token1" },
    ...(v.gasPricePool === undefined
      ? []
      : (["token0", "token1"] as const).map((functionName) => ({
          address: v.gasPricePool!,
          abi: uniswapV3PoolAbi,
          functionName,
        }))),
  ];
  const reads = config.vaults.map(perVault);
  const results = await readContractsAtBlock(client, {
    contracts: reads.flat(),
    blockHash: latest.hash,
    callGasLimit,
  });
  const weth = getAddress(config.weth);
  const problems: string[] = [];
  let offset = 0;
  config.vaults.forEach((v, i) => {
    const r = results.slice(offset, offset + reads[i]!.length);
    offset += reads[i]!.length;
    const field = `vaults[${i}]`;
    const value = <T>(k: number) => (r[k]?.status === "success" ? (r[k].result as T) : undefined);
    const state = value<LensVaultState>(0);
    const pool = value<Address>(1);
    const keeper = value<Address>(2);
    if (state === undefined || pool === undefined || keeper === undefined) {
      problems.push(
        `${field}.address: ${v.address} does not answer as a RangeVault through vaultLens ${config.vaultLens}; check both addresses and the chain`,
      );
      return;
    }
    if (getAddress(pool) !== v.pool)
      problems.push(`${field}.pool: the vault's pool is ${getAddress(pool)}, not ${v.pool}`);
    if (v.strategy.name !== "observe" && getAddress(keeper) !== getAddress(account))
      problems.push(
        `${field}.address: the vault's keeper is ${getAddress(keeper)}, not this keeper's signer ${getAddress(account)}; ` +
          `have the vault's owner call setKeeper(${getAddress(account)}), sign with the keeper's key, or use strategy "observe"`,
      );
    if (v.tickTolerance > state.params.maxTwapDeviation)
      problems.push(
        `${field}.tickTolerance: expected at most the vault's maxTwapDeviation ${state.params.maxTwapDeviation} ticks (the vault refuses a larger tolerance), got ${v.tickTolerance}`,
      );
    const [token0, token1] = [value<Address>(3), value<Address>(4)].map((t) => t && getAddress(t));
    if (token0 === weth || token1 === weth) return;
    const [g0, g1] = [value<Address>(5), value<Address>(6)].map((t) => t && getAddress(t));
    if (v.gasPricePool === undefined)
      problems.push(
        `${field}.gasPricePool: missing; expected a Uniswap v3 pool of WETH (${weth}) and the vault's token1 (${token1}), since neither of the vault's tokens is WETH (gas is paid in ETH)`,
      );
    else if (!((g0 === weth && g1 === token1) || (g1 === weth && g0 === token1)))
      problems.push(
        `${field}.gasPricePool: expected a Uniswap v3 pool of WETH (${weth}) and the vault's token1 (${token1}), got a pool of ${g0 ?? "?"} and ${g1 ?? "?"}`,
      );
  });
  if (problems.length > 0) throw new VaultCheckError(problems);
}
