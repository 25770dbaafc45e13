import { passiveStrategy } from "./passive.js";
import type { PureStrategy } from "./types.js";

export class UnknownStrategyError extends Error {
  constructor(name: string) {
    super(`Unknown strategy "${name}"; expected one of: ${Object.keys(STRATEGIES).join(", ")}`);
    this.name = "UnknownStrategyError";
  }
}

/** Every strategy by the name a config file, a task or a backtest uses for it. */
export const STRATEGIES: Record<string, PureStrategy<never, never>> = {
  passive: passiveStrategy as PureStrategy<never, never>,
};

export function getStrategy(name: string): PureStrategy<unknown, unknown> {
  const strategy = STRATEGIES[name];
  if (strategy === undefined) throw new UnknownStrategyError(name);
  return strategy as PureStrategy<unknown, unknown>;
}
