import { priceFromTick } from "../analytics/price.js";
import { floorTick } from "./floorTick.js";
import type { RebalancePlan } from "./types.js";

/** A range and its liquidity as doubles, for estimates (the vault model is the exact one). */
export interface EstimatedPosition {
  tickLower: number;
  tickUpper: number;
  liquidity: number;
}

export interface PlannedPositions {
  positions: EstimatedPosition[];
  /** What stays idle after both mints (dust of the leftover token). */
  idle0: number;
  idle1: number;
}

/**
 * Where a plan would put the vault's tokens, by RangeVault's own rule in doubles: the base gets the most
 * liquidity `amount0`/`amount1` allow at the price, and the limit range, `limitWidth` wide next to the price,
 * takes the token left over (token0 above the price, token1 below). Amounts are what the vault holds after the
 * plan's swap; `price` is token0 in token1 (raw), `tick` its tick.
 */
export function plannedPositions(options: {
  plan: Pick<RebalancePlan, "baseLower" | "baseUpper" | "limitWidth">;
  amount0: number;
  amount1: number;
  price: number;
  tick: number;
  tickSpacing: number;
}): PlannedPositions {
  const { plan, price, tick, tickSpacing: spacing } = options;
  const sqrtP = Math.sqrt(price);
  const [sqrtA, sqrtB] = [Math.sqrt(priceFromTick(plan.baseLower)), Math.sqrt(priceFromTick(plan.baseUpper))];
  const per0 = 1 / sqrtP - 1 / sqrtB;
  const per1 = sqrtP - sqrtA;
  const base = Math.max(
    0,
    Math.min(per0 > 0 ? options.amount0 / per0 : Infinity, per1 > 0 ? options.amount1 / per1 : Infinity),
  );
  const left0 = Math.max(0, options.amount0 - base * per0);
  const left1 = Math.max(0, options.amount1 - base * per1);
  const floor = floorTick(tick, spacing);
  const token0Only = left0 * price > left1;
  const [lower, upper] = token0Only
    ? [floor + spacing, floor + spacing + plan.limitWidth]
    : [floor - plan.limitWidth, floor];
  const [sqrtL, sqrtU] = [Math.sqrt(priceFromTick(lower)), Math.sqrt(priceFromTick(upper))];
  const limit = token0Only ? left0 / (1 / sqrtL - 1 / sqrtU) : left1 / (sqrtU - sqrtL);
  return {
    positions: [
      { tickLower: plan.baseLower, tickUpper: plan.baseUpper, liquidity: base },
      { tickLower: lower, tickUpper: upper, liquidity: limit },
    ],
    idle0: token0Only ? 0 : left0,
    idle1: token0Only ? left1 : 0,
  };
}
