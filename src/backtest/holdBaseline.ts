import type { PureStrategy } from "../strategies/types.js";

/** The "hold" baseline: a vault that never places a range, so the deposit stays idle (what holding would do). */
export const holdBaseline: PureStrategy<null, null> = {
  name: "hold",
  parseParams: () => null,
  initialMemory: () => null,
  decide: (_snapshot, _params, memory) => ({
    plan: null,
    trigger: null,
    reasons: ["hold: never rebalances"],
    economics: null,
    memory,
  }),
};
