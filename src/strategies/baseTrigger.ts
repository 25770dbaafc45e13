import type { RebalanceTrigger, StrategySnapshot } from "./types.js";

/**
 * Which trigger the held base calls for, with the reason: none held yet (initial), the price outside it
 * (out-of-range), or the price further from its centre than `recenterThreshold` of its half-width (stale).
 */
export function baseTrigger(
  snapshot: StrategySnapshot,
  recenterThreshold: number,
): { trigger: RebalanceTrigger | null; reason: string } {
  const { base } = snapshot.vault;
  const { tick } = snapshot.pool;
  if (base === null || base.liquidity === 0n)
    return { trigger: "initial", reason: "the vault holds no base range" };
  if (tick < base.tickLower || tick >= base.tickUpper)
    return {
      trigger: "out-of-range",
      reason: `tick ${tick} is outside the base [${base.tickLower}, ${base.tickUpper})`,
    };
  const centre = (base.tickLower + base.tickUpper) / 2;
  const half = (base.tickUpper - base.tickLower) / 2;
  const off = Math.abs(tick - centre) / half;
  if (off > recenterThreshold)
    return {
      trigger: "stale",
      reason: `tick ${tick} is ${(off * 100).toFixed(0)} % of the half-width from the base's centre (threshold ${(recenterThreshold * 100).toFixed(0)} %)`,
    };
  return { trigger: null, reason: `tick ${tick} is inside the base [${base.tickLower}, ${base.tickUpper})` };
}
