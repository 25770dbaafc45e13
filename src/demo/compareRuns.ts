import type { Attribution, RunResult } from "../backtest/backtestResult.js";

/** Money figures of the two runs may differ by this share of the capital (gas aside). */
export const MONEY_TOLERANCE = 1e-4;
/**
 * Gas per rebalance may differ by this many units: the fast backtest charges the gas model's constants (330,000
 * for the first rebalance, 600,000 after), the chain what the receipts say (more when a mint initialises ticks).
 */
export const GAS_UNITS_TOLERANCE = 150_000;

export interface FigureComparison {
  figure: string;
  chain: number;
  fast: number;
  difference: number;
  allowed: number;
  ok: boolean;
}

export interface RunComparison {
  figures: FigureComparison[];
  /** Rebalances at the same times into the same ranges. */
  sameRebalances: boolean;
  ok: boolean;
  tolerance: string;
}

/**
 * Compares the demo's on-chain run with the fast backtest of the same path. They run the same strategy code on
 * the same pool state and moves, and the vault model reproduces the contract to the wei, so they must take the
 * same rebalances into the same ranges; the money figures may differ only by the doubles of the per-step reads
 * (rounding of fees owed) and by gas, which the backtest charges from its model and the chain from receipts.
 */
export function compareRuns(chain: RunResult, fast: RunResult, capital: number): RunComparison {
  const figures: FigureComparison[] = [];
  const add = (figure: string, a: number, b: number, allowed: number) => {
    const difference = Math.abs(a - b);
    figures.push({ figure, chain: a, fast: b, difference, allowed, ok: difference <= allowed });
  };
  const money = MONEY_TOLERANCE * capital;
  for (const key of ["fees", "impermanentLoss", "lvr", "swapCost"] as const satisfies (keyof Attribution)[])
    add(key, chain.attribution[key], fast.attribution[key], money);
  // In money: each mined rebalance's cost scaled from its gas used to the tolerance's units.
  const gasAllowed = chain.rebalanceLog
    .filter((r) => r.reverted === null && r.gasUsed > 0)
    .reduce((sum, r) => sum + (r.gasCost * GAS_UNITS_TOLERANCE) / r.gasUsed, 0);
  add("gas", chain.attribution.gas, fast.attribution.gas, gasAllowed);
  add("net", chain.attribution.net, fast.attribution.net, money + gasAllowed);
  add("endValue", chain.endValue, fast.endValue, money);
  add("timeInRange", chain.timeInRange, fast.timeInRange, 1e-9);
  const ranges = (run: RunResult) =>
    run.rebalanceLog
      .filter((r) => r.reverted === null)
      .map((r) => [r.timestamp, r.baseLower, r.baseUpper, r.limitLower, r.limitUpper].join(","));
  const [a, b] = [ranges(chain), ranges(fast)];
  const sameRebalances = a.length === b.length && a.every((r, i) => r === b[i]);
  return {
    figures,
    sameRebalances,
    ok: sameRebalances && figures.every((f) => f.ok),
    tolerance: `the same rebalances (times and ranges), money figures within ${MONEY_TOLERANCE * 100}% of the capital, gas within ${GAS_UNITS_TOLERANCE.toLocaleString("en-US")} gas a rebalance`,
  };
}
