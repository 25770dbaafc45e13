import { z } from "zod/v4";

import { parseStrategyParams } from "./parseStrategyParams.js";
import type { PureStrategy } from "./types.js";

const MAX_TICK = 887272;

const paramsSchema = z.object({}).strict();

export type FullRangeParams = z.infer<typeof paramsSchema>;

/**
 * The full-range baseline: one base over every usable tick, placed once and never moved (the limit range, as
 * narrow as the vault allows, takes the dust the base leaves). What a Uniswap v2 position would do.
 */
export const fullRangeStrategy: PureStrategy<FullRangeParams, null> = {
  name: "full-range",
  parseParams: (params) => parseStrategyParams("full-range", paramsSchema, params ?? {}),
  initialMemory: () => null,
  decide(snapshot) {
    if (snapshot.vault.base !== null)
      return {
        plan: null,
        trigger: null,
        reasons: ["the full range is placed once"],
        economics: null,
        memory: null,
      };
    const { tickSpacing } = snapshot.pool;
    const edge = Math.trunc(MAX_TICK / tickSpacing) * tickSpacing;
    const width = Math.min(
      2 * edge,
      Math.floor(snapshot.vault.bounds.maxBaseWidth / tickSpacing) * tickSpacing,
    );
    const limitWidth = Math.ceil(snapshot.vault.bounds.minLimitWidth / tickSpacing) * tickSpacing;
    return {
      plan: { baseLower: -width / 2, baseUpper: width / 2, limitWidth, swap: null },
      trigger: "initial",
      reasons: ["the vault holds no ranges yet: the whole usable tick range"],
      economics: null,
      memory: null,
    };
  },
};
