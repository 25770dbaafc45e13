import { STRATEGIES } from "../strategies/registry.js";
import type { PureStrategy } from "../strategies/types.js";
import { fromPureStrategy } from "./fromPureStrategy.js";
import { observeStrategy } from "./observeStrategy.js";
import type { Strategy } from "./strategy.js";

/**
 * Every strategy a config may name: each pure strategy of the registry (src/strategies/registry.ts), so a
 * strategy added there runs in the keeper with no change here, and `observe` (watch and measure only).
 */
export function keeperStrategies(): Strategy[] {
  return [
    observeStrategy as Strategy,
    ...Object.values(STRATEGIES).map(
      (s) => fromPureStrategy(s as PureStrategy<unknown, unknown>) as Strategy,
    ),
  ];
}
