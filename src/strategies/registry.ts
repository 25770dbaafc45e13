import { fullRangeStrategy } from "./fullRange.js";
import { inventoryStrategy } from "./inventory.js";
import { passiveStrategy } from "./passive.js";
import type { PureStrategy } from "./types.js";
import { volatilityStrategy } from "./volatility.js";

export class UnknownStrategyError extends Error {
  constructor(name: string) {
    super(`Unknown strategy "${name}"; expected one of: ${Object.keys(STRATEGIES).join(", ")}`);
    this.name = "UnknownStrategyError";
  }
}

/** Every strategy by the name a config file, a task or a backtest uses for it. */
export const STRATEGIES: Record<string, PureStrategy<never, never>> = {
  passive: passiveStrategy as PureStrategy<never, never>,
  volatility: volatilityStrategy as PureStrategy<never, never>,
  inventory: inventoryStrategy as PureStrategy<never, never>,
  "full-range": fullRangeStrategy as PureStrategy<never, never>,
};

export function getStrategy(name: string): PureStrategy<unknown, unknown> {
  const strategy = STRATEGIES[name];
  if (strategy === undefined) throw new UnknownStrategyError(name);
  return strategy as PureStrategy<unknown, unknown>;
}
