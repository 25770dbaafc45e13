import { z } from "zod/v4";

import { baseTrigger } from "./baseTrigger.js";
import { economicsShape } from "./economicsSchema.js";
import { holdDecision } from "./holdDecision.js";
import { floorTick } from "./floorTick.js";
import { parseStrategyParams } from "./parseStrategyParams.js";
import { rangeAround } from "./rangeAround.js";
import { rebalanceEconomics } from "./rebalanceEconomics.js";
import { rebalanceGate } from "./rebalanceGate.js";
import type { PureStrategy } from "./types.js";
import { volatilityHalfWidth } from "./volatilityHalfWidth.js";

const paramsSchema = z
  .object({
    /** Probability that the price stays in the new base for horizonSeconds; sets the base's width. */
    targetProbability: z.number().gt(0).lt(1).default(0.8),
    /** Limit range width as a share of the base's width (rounded to the spacing, within the vault's bounds). */
    limitWidthRatio: z.number().gt(0).max(1).default(0.5),
    /** Re-centre (trigger "stale") once the tick is this share of the half-width away from the base's centre. */
    recenterThreshold: z.number().gt(0).max(1).default(0.8),
    /** Seconds between the rebalances this strategy asks for. */
    minIntervalSeconds: z.number().int().nonnegative().default(3600),
    ...economicsShape,
  })
  .strict();

export type VolatilityParams = z.infer<typeof paramsSchema>;

export interface VolatilityMemory {
  /** Time of the last rebalance this strategy asked for. */
  lastTimestamp: number;
}

/**
 * Volatility-scaled width: a base centred on the price, just wide enough that the price stays in it for the
 * horizon with the target probability at the measured volatility (probabilityStaysInRange), and a limit range
 * a fixed share of it wide. It moves when the price leaves the base or drifts towards its edge, at most once per
 * minimum interval, and only when the economic check says the move pays for its gas and swap costs.
 */
export const volatilityStrategy: PureStrategy<VolatilityParams, VolatilityMemory> = {
  name: "volatility",
  parseParams: (params) => parseStrategyParams("volatility", paramsSchema, params ?? {}),
  initialMemory: () => ({ lastTimestamp: 0 }),
  decide(snapshot, params, memory) {
    const { trigger, reason } = baseTrigger(snapshot, params.recenterThreshold);
    if (trigger === null) return holdDecision(memory, [reason]);
    const gate = rebalanceGate(snapshot, params.minIntervalSeconds, memory.lastTimestamp);
    if (gate !== null) return holdDecision(memory, [reason, gate], trigger);

    const { tick, tickSpacing } = snapshot.pool;
    const { bounds } = snapshot.vault;
    const halfWidth = volatilityHalfWidth({
      volatility: snapshot.market.volatility,
      horizonSeconds: params.horizonSeconds,
      targetProbability: params.targetProbability,
      tickSpacing,
      maxHalfWidth: bounds.maxBaseWidth / 2,
    });
    const range = rangeAround({ tick, centreTick: tick, halfWidth, tickSpacing, bounds });
    const width = range.tickUpper - range.tickLower;
    const limitWidth = Math.min(
      Math.floor(bounds.maxLimitWidth / tickSpacing) * tickSpacing,
      Math.max(
        Math.ceil(bounds.minLimitWidth / tickSpacing) * tickSpacing,
        floorTick(width * params.limitWidthRatio, tickSpacing),
      ),
    );
    const plan = { baseLower: range.tickLower, baseUpper: range.tickUpper, limitWidth, swap: null };
    const economics = rebalanceEconomics(snapshot, plan, params);
    const sizing = `base ±${halfWidth} ticks keeps the price in range for ${params.horizonSeconds} s with probability ${params.targetProbability} at σ ${snapshot.market.volatility.toFixed(3)}`;
    if (trigger !== "initial" && economics.net <= 0)
      return holdDecision(
        memory,
        [
          reason,
          `expected gain ${economics.expectedGain.toExponential(3)} does not cover gas ${economics.gasCost.toExponential(3)} + swap ${economics.swapCost.toExponential(3)}`,
        ],
        trigger,
        economics,
      );
    return {
      plan,
      trigger,
      reasons: [reason, sizing],
      economics,
      memory: { lastTimestamp: snapshot.timestamp },
    };
  },
};
