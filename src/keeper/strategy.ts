import type { RebalanceEconomics, RebalanceTrigger, StrategySnapshot } from "../strategies/types.js";
import type { MeasuredSnapshot, Measurements, VaultSnapshot } from "./snapshot.js";

/** A strategy's answer: a plan to carry out, or null, with the reasons either way (stored and logged). */
export interface Decision<Plan = unknown> {
  plan: Plan | null;
  reasons: string[];
  /** Why a pure strategy wants to act (src/strategies/types.ts). */
  trigger?: RebalanceTrigger | null;
  /** The economic check's arithmetic, kept with the decision. */
  economics?: RebalanceEconomics | null;
  /**
   * The strategy's memory after this decision. The keeper adopts it at once when there is no plan, and only
   * once the plan's rebalance shows in a confirmed block when there is one (a plan that is blocked, refused,
   * reverted or only dry-run leaves the memory as it was), so the next decision sees what the backtester
   * would have: the memory that goes with the vault's actual state.
   */
  memory?: unknown;
}

/** What a strategy may know besides the snapshot, all of it from the keeper's database. */
export interface DecisionContext {
  /** The vault's last mined rebalance, if any. */
  lastRebalance: { blockNumber: bigint; timestamp: bigint } | null;
  /** The strategy's memory in force (its `initialMemory()` before its first decision). */
  memory: unknown;
}

/**
 * A strategy as the keeper runs it: a pure function of a measured snapshot (no I/O). `parseParams` validates
 * the config's opaque `strategy.params` and throws an error naming the field when they are wrong. Pure
 * strategies of src/strategies/ are wrapped by `fromPureStrategy`.
 */
export interface Strategy<Params = unknown, Plan = unknown, VaultState = unknown> {
  name: string;
  parseParams(params: unknown): Params;
  initialMemory?(): unknown;
  decide(snapshot: MeasuredSnapshot<VaultState>, params: Params, context: DecisionContext): Decision<Plan>;
}

/** What the measure step derives from one block's snapshot. */
export interface MeasureResult {
  measurements: Measurements;
  strategySnapshot: StrategySnapshot | null;
  /** What the measure step carries to the next block (EWMA state, accumulators, references): JSON-able. */
  state: unknown;
}

/**
 * The measure step: analytics of a snapshot (IL, LVR, drift, …) and the strategies' input, given the state
 * it returned for the vault's previous block (null at the first one). Pure: the keeper stores the state
 * with the snapshot, so a restart or a reorg continues from the canonical chain's last block.
 */
export type Measure<VaultState = unknown> = (
  snapshot: VaultSnapshot<VaultState>,
  state: unknown,
) => MeasureResult;
