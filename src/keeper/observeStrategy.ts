import type { Strategy } from "./strategy.js";

export class StrategyParamsError extends Error {
  constructor(strategy: string, message: string) {
    super(`strategy "${strategy}": ${message}`);
    this.name = "StrategyParamsError";
  }
}

/**
 * Watches, measures and records, never rebalances: for monitoring a vault (metrics, snapshots) before its
 * strategy is switched on. Takes no parameters.
 */
export const observeStrategy: Strategy<Record<string, never>, never> = {
  name: "observe",
  parseParams(params) {
    if (typeof params === "object" && params !== null && Object.keys(params).length > 0) {
      throw new StrategyParamsError("observe", `takes no params, got ${Object.keys(params).join(", ")}`);
    }
    return {};
  },
  decide: () => ({ plan: null, reasons: ["observe: this strategy never rebalances"] }),
};
