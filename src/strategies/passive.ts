import { z } from "zod/v4";

import { floorTick } from "./floorTick.js";
import { parseStrategyParams } from "./parseStrategyParams.js";
import type { PureStrategy, StrategyDecision, StrategySnapshot } from "./types.js";

const MAX_TICK = 887272;

const paramsSchema = z
  .object({
    /** B: the base range is [X − B, X + spacing + B], X the tick rounded down to the spacing. */
    baseThreshold: z.number().int().positive(),
    /** L: the limit range is [X − L, X] or [X + spacing, X + spacing + L], on the side of the surplus token. */
    limitThreshold: z.number().int().positive(),
    /** Seconds that must pass between rebalances. */
    period: z.number().int().nonnegative(),
    /** Ticks the price must have moved since the last rebalance. */
    minTickMove: z.number().int().nonnegative(),
  })
  .strict();

export type PassiveParams = z.infer<typeof paramsSchema>;

export interface PassiveMemory {
  /** Tick and time of the last rebalance this strategy asked for (Charm's lastTick / lastTimestamp). */
  lastTick: number | null;
  lastTimestamp: number;
}

function hold(memory: PassiveMemory, reasons: string[]): StrategyDecision<PassiveMemory> {
  return { plan: null, trigger: null, reasons, economics: null, memory };
}

/**
 * Charm Alpha Vaults' passive rule, the baseline every other strategy is measured against: whenever `period`
 * has passed and the price moved at least `minTickMove` ticks since the last rebalance (and the spot price is
 * within the TWAP deviation), re-centre a base range of fixed width on the price and let a one-sided limit
 * range sell the surplus. No economic check and no swap: exactly Charm's behaviour.
 */
export const passiveStrategy: PureStrategy<PassiveParams, PassiveMemory> = {
  name: "passive",
  parseParams: (params) => parseStrategyParams("passive", paramsSchema, params),
  initialMemory: () => ({ lastTick: null, lastTimestamp: 0 }),
  decide(snapshot: StrategySnapshot, params: PassiveParams, memory: PassiveMemory) {
    const { tick, twapTick, tickSpacing } = snapshot.pool;
    const { bounds } = snapshot.vault;
    for (const [name, value] of [
      ["baseThreshold", params.baseThreshold],
      ["limitThreshold", params.limitThreshold],
    ] as const) {
      if (value % tickSpacing !== 0) {
        return hold(memory, [`${name} ${value} is not a multiple of the tick spacing ${tickSpacing}`]);
      }
    }
    const baseWidth = 2 * params.baseThreshold + tickSpacing;
    if (baseWidth < bounds.minBaseWidth || baseWidth > bounds.maxBaseWidth) {
      return hold(memory, [
        `base width ${baseWidth} (2 × baseThreshold + spacing) is outside the vault's bounds [${bounds.minBaseWidth}, ${bounds.maxBaseWidth}]`,
      ]);
    }
    if (params.limitThreshold < bounds.minLimitWidth || params.limitThreshold > bounds.maxLimitWidth) {
      return hold(memory, [
        `limitThreshold ${params.limitThreshold} is outside the vault's limit width bounds [${bounds.minLimitWidth}, ${bounds.maxLimitWidth}]`,
      ]);
    }

    const initial = snapshot.vault.base === null;
    if (!initial) {
      // The vault's own record counts too: a keeper restarted without its memory must not rebalance early.
      const earliest = Math.max(memory.lastTimestamp, snapshot.vault.lastRebalance ?? 0) + params.period;
      if (snapshot.timestamp < earliest) {
        return hold(memory, [`period not elapsed: next rebalance at ${earliest}, now ${snapshot.timestamp}`]);
      }
      const moved = memory.lastTick === null ? Infinity : Math.abs(tick - memory.lastTick);
      if (moved < params.minTickMove) {
        return hold(memory, [
          `price moved ${moved} ticks since the last rebalance, less than minTickMove ${params.minTickMove}`,
        ]);
      }
    }
    const deviation = Math.abs(tick - twapTick);
    if (deviation > bounds.maxTwapDeviation) {
      return hold(memory, [
        `spot tick ${tick} is ${deviation} ticks from the TWAP tick ${twapTick} (max ${bounds.maxTwapDeviation})`,
      ]);
    }
    const maxThreshold = Math.max(params.baseThreshold, params.limitThreshold);
    if (tick < -MAX_TICK + maxThreshold + tickSpacing || tick > MAX_TICK - maxThreshold - tickSpacing) {
      return hold(memory, [`tick ${tick} is too close to the pool's price bounds for these thresholds`]);
    }

    const floor = floorTick(tick, tickSpacing);
    return {
      plan: {
        baseLower: floor - params.baseThreshold,
        baseUpper: floor + tickSpacing + params.baseThreshold,
        limitWidth: params.limitThreshold,
        swap: null,
      },
      trigger: initial ? "initial" : "stale",
      reasons: initial
        ? ["the vault holds no ranges yet"]
        : [
            memory.lastTick === null
              ? "period elapsed (no tick recorded at the last rebalance)"
              : `period elapsed and the price moved ${Math.abs(tick - memory.lastTick)} ticks`,
          ],
      economics: null,
      memory: { lastTick: tick, lastTimestamp: snapshot.timestamp },
    };
  },
};
