import type { MeasuredSnapshot, Measurements, VaultSnapshot } from "./snapshot.js";

/** A strategy's answer: a plan to carry out, or null, with the reasons either way (stored and logged). */
export interface Decision<Plan = unknown> {
  plan: Plan | null;
  reasons: string[];
}

/** What a strategy may know besides the snapshot, all of it from the keeper's database. */
export interface DecisionContext {
  /** The vault's last mined rebalance, if any. */
  lastRebalance: { blockNumber: bigint; timestamp: bigint } | null;
  /** The vault's previous snapshot on the canonical chain (measured), if any. */
  previous: MeasuredSnapshot | null;
}

/**
 * A strategy: a pure function of a measured snapshot (no I/O), so the backtester can run the same code.
 * `parseParams` validates the config's opaque `strategy.params` (e.g. with the strategy's own zod schema)
 * and throws an error naming the field when they are wrong.
 */
export interface Strategy<Params = unknown, Plan = unknown, VaultState = unknown> {
  name: string;
  parseParams(params: unknown): Params;
  decide(snapshot: MeasuredSnapshot<VaultState>, params: Params, context: DecisionContext): Decision<Plan>;
}

/** The measure step: analytics of a snapshot (IL, LVR, drift, …), given the previous measured one. */
export type Measure<VaultState = unknown> = (
  snapshot: VaultSnapshot<VaultState>,
  previous: MeasuredSnapshot<VaultState> | null,
) => Measurements;
