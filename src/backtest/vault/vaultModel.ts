import { validateVaultParams, type VaultParams } from "../../chain/vault/params.js";
import { MAX_TICK, MIN_TICK } from "../../uniswap/constants.js";
import type { PoolSimulator } from "../../uniswap/poolSimulator.js";

/**
 * RangeVault's state, held beside a PoolSimulator that holds its positions: what the contract stores (Status,
 * Params, protocol fees, shares) and its token balances. The functions of this folder change it exactly as the
 * contract's calls would, to the wei (test/backtest/vaultModel.test.ts runs both side by side).
 */
export interface VaultModel {
  /** The pool, replaced by an updated copy when a call succeeds (a call that reverts leaves it as it was). */
  pool: PoolSimulator;
  /** The vault's address: the owner of its positions in the pool. */
  readonly address: string;
  readonly tickSpacing: number;
  readonly minUsableTick: number;
  readonly maxUsableTick: number;
  params: VaultParams;
  /** ERC-20 balances of the vault's address (holders' idle tokens plus accrued protocol fees). */
  balance0: bigint;
  balance1: bigint;
  protocolFees0: bigint;
  protocolFees1: bigint;
  totalSupply: bigint;
  shares: Map<string, bigint>;
  /** Status: both ranges ([0, 0] before the first rebalance), guards' bookkeeping, switches. */
  baseLower: number;
  baseUpper: number;
  limitLower: number;
  limitUpper: number;
  lastRebalance: number;
  lossUsedPpm: number;
  protocolFeeBps: number;
  paused: boolean;
}

export interface CreateVaultModelParameters {
  pool: PoolSimulator;
  address: string;
  params: VaultParams;
  /** Protocol share of pool fees, basis points (at most 2,000). */
  protocolFeeBps: number;
}

/** A freshly deployed vault: no shares, no ranges, parameters checked against the contract's hard bounds. */
export function createVaultModel({
  pool,
  address,
  params,
  protocolFeeBps,
}: CreateVaultModelParameters): VaultModel {
  const spacing = pool.tickSpacing;
  validateVaultParams(params, spacing, protocolFeeBps);
  return {
    pool,
    address,
    tickSpacing: spacing,
    // Solidity's division truncates towards zero.
    minUsableTick: Math.trunc(MIN_TICK / spacing) * spacing,
    maxUsableTick: Math.trunc(MAX_TICK / spacing) * spacing,
    params: { ...params },
    balance0: 0n,
    balance1: 0n,
    protocolFees0: 0n,
    protocolFees1: 0n,
    totalSupply: 0n,
    shares: new Map(),
    baseLower: 0,
    baseUpper: 0,
    limitLower: 0,
    limitUpper: 0,
    lastRebalance: 0,
    lossUsedPpm: 0,
    protocolFeeBps,
    paused: false,
  };
}

/** An independent copy, its pool cloned too: a call runs on it and replaces the original only if it succeeds. */
export function cloneVaultModel(model: VaultModel): VaultModel {
  return { ...model, pool: model.pool.clone(), params: { ...model.params }, shares: new Map(model.shares) };
}
