import type { StrategySnapshot } from "../../strategies/types.js";
import type { PoolState } from "../snapshot.js";
import type { VaultState } from "../vault/vaultState.js";

export interface ToStrategySnapshotParameters {
  /** Block time, seconds. */
  timestamp: number;
  pool: PoolState;
  vault: VaultState;
  market: StrategySnapshot["market"];
}

/**
 * The strategies' input (src/strategies/types.ts) from one confirmed block's reads: the pool as slot0 has it,
 * the TWAP tick the lens computed exactly as the vault checks it, the vault's holdings with the fees its
 * ranges are owed (holders' part, protocol share excluded), its ranges and bounds, and the measured market.
 */
export function toStrategySnapshot({
  timestamp,
  pool,
  vault,
  market,
}: ToStrategySnapshotParameters): StrategySnapshot {
  const p = vault.params;
  return {
    timestamp,
    pool: {
      tick: pool.tick,
      sqrtPriceX96: pool.sqrtPriceX96,
      twapTick: vault.twapTick,
      tickSpacing: pool.tickSpacing,
      fee: pool.fee,
      liquidity: pool.liquidity,
    },
    vault: {
      total0: vault.total0 + (vault.holderFeesOwed0 ?? 0n),
      total1: vault.total1 + (vault.holderFeesOwed1 ?? 0n),
      base: range(vault.base),
      limit: range(vault.limit),
      targetShare1: p.targetToken1Bps / 10_000,
      lastRebalance: vault.lastRebalance,
      bounds: {
        minBaseWidth: p.minBaseWidth,
        maxBaseWidth: p.maxBaseWidth,
        minLimitWidth: p.minLimitWidth,
        maxLimitWidth: p.maxLimitWidth,
        maxTwapDeviation: p.maxTwapDeviation,
        minRebalanceInterval: p.minRebalanceInterval,
      },
    },
    market,
  };
}

function range(r: VaultState["base"]) {
  return r === null ? null : { tickLower: r.tickLower, tickUpper: r.tickUpper, liquidity: r.liquidity };
}
