import type { StrategySnapshot } from "./types.js";

/**
 * Why a rebalance cannot be asked for now, or null: the vault's own minimum interval (counted from its record,
 * so a keeper restarted without memory waits too), the strategy's minimum interval since the rebalance it last
 * asked for, and the spot price's distance from the TWAP (the vault would refuse).
 */
export function rebalanceGate(
  snapshot: StrategySnapshot,
  minIntervalSeconds: number,
  lastTimestamp: number,
): string | null {
  const { tick, twapTick } = snapshot.pool;
  const { bounds, lastRebalance } = snapshot.vault;
  if (lastRebalance !== null) {
    const earliest = Math.max(
      lastRebalance + bounds.minRebalanceInterval,
      Math.max(lastRebalance, lastTimestamp) + minIntervalSeconds,
    );
    if (snapshot.timestamp < earliest)
      return `minimum interval: next rebalance at ${earliest}, now ${snapshot.timestamp}`;
  }
  const deviation = Math.abs(tick - twapTick);
  if (deviation > bounds.maxTwapDeviation)
    return `spot tick ${tick} is ${deviation} ticks from the TWAP tick ${twapTick} (max ${bounds.maxTwapDeviation})`;
  return null;
}
