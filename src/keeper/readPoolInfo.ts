import { erc20Abi, type Address, type Hash, type PublicClient } from "viem";

import { uniswapV3PoolAbi } from "../chain/abi/uniswap.js";
import { readContractsAtBlock } from "./rpc/readContractsAtBlock.js";

/** What never changes about a pool: read once at start. */
export interface PoolInfo {
  address: Address;
  token0: Address;
  token1: Address;
  fee: number;
  tickSpacing: number;
  /** The tokens' decimals and symbols (18 and "?" for a token that does not say). */
  decimals0: number;
  decimals1: number;
  symbol0: string;
  symbol1: string;
}

export class NotAPoolError extends Error {
  constructor(pool: Address, field: string) {
    super(
      `${pool} (${field}) does not answer as a Uniswap v3 pool: check the address and that the RPC serves the chain it lives on`,
    );
    this.name = "NotAPoolError";
  }
}

export interface ReadPoolInfoParameters {
  pools: readonly { address: Address; field: string }[];
  blockHash: Hash;
}

/**
 * token0, token1, fee and tick spacing of every pool, then its tokens' decimals and symbols: two batched
 * requests whatever the number of pools; fails naming the config field of a non-pool.
 */
export async function readPoolInfo(
  client: PublicClient,
  { pools, blockHash }: ReadPoolInfoParameters,
): Promise<Map<Address, PoolInfo>> {
  const fields = ["token0", "token1", "fee", "tickSpacing"] as const;
  // Many vaults may share a pool: each pool is read once, and an error names its first config field.
  const first = new Map<Address, { address: Address; field: string }>();
  for (const pool of pools) if (!first.has(pool.address)) first.set(pool.address, pool);
  const distinct = [...first.values()];
  const results = await readContractsAtBlock(client, {
    blockHash,
    contracts: distinct.flatMap(({ address }) =>
      fields.map((functionName) => ({ address, abi: uniswapV3PoolAbi, functionName })),
    ),
  });
  const basics = distinct.map(({ address, field }, i) => {
    const values = results.slice(i * fields.length, (i + 1) * fields.length).map((r) => {
      if (r.status !== "success") throw new NotAPoolError(address, field);
      return r.result;
    });
    return {
      address,
      token0: values[0] as Address,
      token1: values[1] as Address,
      fee: values[2] as number,
      tickSpacing: values[3] as number,
    };
  });
  const tokenReads = await readContractsAtBlock(client, {
    blockHash,
    contracts: basics.flatMap((b) =>
      [b.token0, b.token1].flatMap((token) => [
        { address: token, abi: erc20Abi, functionName: "decimals" },
        { address: token, abi: erc20Abi, functionName: "symbol" },
      ]),
    ),
  });
  const info = new Map<Address, PoolInfo>();
  basics.forEach((b, i) => {
    const [d0, s0, d1, s1] = tokenReads.slice(4 * i, 4 * i + 4);
    info.set(b.address, {
      ...b,
      decimals0: d0?.status === "success" ? (d0.result as number) : 18,
      symbol0: s0?.status === "success" ? (s0.result as string) : "?",
      decimals1: d1?.status === "success" ? (d1.result as number) : 18,
      symbol1: s1?.status === "success" ? (s1.result as string) : "?",
    });
  });
  return info;
}
