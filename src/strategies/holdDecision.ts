import type { RebalanceEconomics, RebalanceTrigger, StrategyDecision } from "./types.js";

/** No plan: the reasons, the trigger that fired (if one did) and the check's arithmetic (if it ran). */
export function holdDecision<Memory>(
  memory: Memory,
  reasons: string[],
  trigger: RebalanceTrigger | null = null,
  economics: RebalanceEconomics | null = null,
): StrategyDecision<Memory> {
  return { plan: null, trigger, reasons, economics, memory };
}
