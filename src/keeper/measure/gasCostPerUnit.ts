import { getAddress, type Address } from "viem";

import { priceFromSqrtPriceX96 } from "../../analytics/price.js";
import type { PoolState } from "../snapshot.js";

export class GasPricingError extends Error {
  constructor(field: string, expected: string) {
    super(`${field}: ${expected}`);
    this.name = "GasPricingError";
  }
}

export interface GasCostPerUnitParameters {
  /** The vault's pool (token0/token1 and price). */
  pool: Pick<PoolState, "token0" | "token1" | "sqrtPriceX96">;
  /** For a pair without WETH: a pool of WETH and the vault's token1 (vaults[].gasPricePool). */
  gasPricePool: Pick<PoolState, "token0" | "token1" | "sqrtPriceX96"> | null;
  weth: Address;
  /** The block's base fee (null before EIP-1559) plus the tip the keeper pays, capped by its max fee. */
  baseFeePerGas: bigint | null;
  priorityFeePerGas: bigint;
  maxFeePerGas: bigint;
}

/**
 * The cost of one unit of gas in token1 raw units (StrategySnapshot.market.gasCostPerUnit): the gas price the
 * keeper would pay now — the block's base fee plus its priority fee, at most its max fee — times token1 per
 * wei. For a WETH/token pair that rate is the pool's own price (1 when token1 is WETH, P when token0 is);
 * for any other pair it comes from `gasPricePool`, a WETH/token1 pool read in the same block.
 */
export function gasCostPerUnit(p: GasCostPerUnitParameters): number {
  const base = p.baseFeePerGas ?? 0n;
  const price = base + p.priorityFeePerGas > p.maxFeePerGas ? p.maxFeePerGas : base + p.priorityFeePerGas;
  return Number(price) * token1PerWei(p);
}

/** token1 raw units per wei of ETH. */
export function token1PerWei(p: Pick<GasCostPerUnitParameters, "pool" | "gasPricePool" | "weth">): number {
  // Compared in lower case: checksumming hashes, and this runs for every vault in every block.
  const weth = p.weth.toLowerCase();
  const token1 = p.pool.token1.toLowerCase();
  if (token1 === weth) return 1;
  if (p.pool.token0.toLowerCase() === weth) return priceFromSqrtPriceX96(p.pool.sqrtPriceX96);
  const g = p.gasPricePool;
  if (g !== null) {
    const [g0, g1] = [g.token0.toLowerCase(), g.token1.toLowerCase()];
    if (g0 === weth && g1 === token1) return priceFromSqrtPriceX96(g.sqrtPriceX96);
    if (g1 === weth && g0 === token1) return 1 / priceFromSqrtPriceX96(g.sqrtPriceX96);
  }
  throw new GasPricingError(
    "vaults[].gasPricePool",
    `expected a Uniswap v3 pool of WETH (${getAddress(weth)}) and the vault's token1 (${getAddress(token1)}), since neither of the vault's tokens is WETH`,
  );
}
