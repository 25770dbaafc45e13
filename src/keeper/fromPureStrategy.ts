import type { PureStrategy, RebalancePlan } from "../strategies/types.js";
import type { Strategy } from "./strategy.js";

/**
 * Runs a pure strategy of src/strategies/ in the keeper: it is given the snapshot's StrategySnapshot (built
 * by the measure step from the confirmed block) and the memory the keeper persisted, and its whole decision
 * (plan, trigger, reasons, economics, next memory) is kept. Nothing else enters the decision, so the keeper
 * and the backtester agree on the same snapshot and memory.
 */
export function fromPureStrategy<Params, Memory>(
  pure: PureStrategy<Params, Memory>,
): Strategy<Params, RebalancePlan> {
  return {
    name: pure.name,
    parseParams: (params) => pure.parseParams(params),
    initialMemory: () => pure.initialMemory(),
    decide(snapshot, params, { memory }) {
      if (snapshot.strategySnapshot === null)
        return {
          plan: null,
          reasons: ["no strategy snapshot for this block (the vault's state could not be measured)"],
          memory,
        };
      const decision = pure.decide(snapshot.strategySnapshot, params, memory as Memory);
      return {
        plan: decision.plan,
        reasons: decision.reasons,
        trigger: decision.trigger,
        economics: decision.economics,
        memory: decision.memory,
      };
    },
  };
}
