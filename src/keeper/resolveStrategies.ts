import type { VaultConfig } from "./config/schema.js";
import type { KeeperVault } from "./runKeeper.js";
import type { Strategy } from "./strategy.js";

export class UnknownStrategyError extends Error {
  constructor(field: string, name: string, known: readonly string[]) {
    super(`${field}: unknown strategy "${name}"; expected one of ${known.map((k) => `"${k}"`).join(", ")}`);
    this.name = "UnknownStrategyError";
  }
}

export class InvalidStrategyParamsError extends Error {
  constructor(field: string, cause: unknown) {
    super(`${field}: ${(cause as Error).message}`, { cause });
    this.name = "InvalidStrategyParamsError";
  }
}

/** Looks each vault's strategy up by name and validates its params with the strategy's own parser, before anything runs. */
export function resolveStrategies(
  vaults: readonly VaultConfig[],
  strategies: readonly Strategy[],
): KeeperVault[] {
  const byName = new Map(strategies.map((s) => [s.name, s]));
  return vaults.map((config, i) => {
    const strategy = byName.get(config.strategy.name);
    if (strategy === undefined)
      throw new UnknownStrategyError(`vaults[${i}].strategy.name`, config.strategy.name, [...byName.keys()]);
    try {
      return { config, strategy, params: strategy.parseParams(config.strategy.params) };
    } catch (error) {
      throw new InvalidStrategyParamsError(`vaults[${i}].strategy.params`, error);
    }
  });
}
