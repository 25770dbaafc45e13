import { z } from "zod/v4";

import { inventoryDrift } from "../analytics/inventoryDrift.js";
import { priceFromSqrtPriceX96 } from "../analytics/price.js";
import { SECONDS_PER_YEAR } from "../analytics/realisedVolatility.js";
import { reservationPrice } from "../analytics/reservationPrice.js";
import { getSqrtRatioAtTick } from "../uniswap/tickMath.js";
import { baseTrigger } from "./baseTrigger.js";
import { economicsShape } from "./economicsSchema.js";
import { holdDecision } from "./holdDecision.js";
import { parseStrategyParams } from "./parseStrategyParams.js";
import { rangeAround } from "./rangeAround.js";
import { rebalanceEconomics } from "./rebalanceEconomics.js";
import { rebalanceGate } from "./rebalanceGate.js";
import type { PureStrategy, RebalancePlan } from "./types.js";
import { volatilityHalfWidth } from "./volatilityHalfWidth.js";

const LOG_TICK = Math.log1p(1e-4);

const paramsSchema = z
  .object({
    /** Probability that the price stays in the new base for horizonSeconds; sets the base's width. */
    targetProbability: z.number().gt(0).lt(1).default(0.8),
    /** |drift| (token1 value share − target) beyond which the vault rebalances (trigger "drift"). */
    driftBand: z.number().gt(0).max(1).default(0.15),
    /** Hysteresis: after a drift rebalance, the drift trigger re-arms once |drift| < driftBand × rearmFraction. */
    rearmFraction: z.number().min(0).max(1).default(0.5),
    /** Largest skew of the base's centre from the price, as a share of its half-width. */
    maxSkewFraction: z.number().min(0).lt(1).default(0.5),
    /** Also price a swap back to the target mix, and take it when the economic check prefers it. */
    allowSwap: z.boolean().default(true),
    /** Re-centre (trigger "stale") once the tick is this share of the half-width away from the base's centre. */
    recenterThreshold: z.number().gt(0).max(1).default(0.9),
    /** Base widths priced by the economic check, as multiples of the volatility-scaled width. */
    widthMultiples: z.array(z.number().min(1)).min(1).default([1, 2, 4]),
    /** Seconds between the rebalances this strategy asks for. */
    minIntervalSeconds: z.number().int().nonnegative().default(3600),
    ...economicsShape,
  })
  .strict();

export type InventoryParams = z.infer<typeof paramsSchema>;

export interface InventoryMemory {
  lastTimestamp: number;
  /** Whether a drift beyond the band may trigger a rebalance (false from a drift rebalance until re-armed). */
  driftArmed: boolean;
}

/**
 * Inventory-aware: the base's centre is the Avellaneda–Stoikov reservation price r = s − q·γ·σ²·H, with q the
 * inventory excess, so the range leans away from the surplus token and the flow brings the mix back; its width
 * starts from the volatility (as the volatility strategy's); the limit range spans the price move over which the
 * base would have built the present drift (2 × half-width × |drift| ticks), so a return of the price unwinds it.
 * Triggers: out of range, drift beyond a band (with hysteresis), re-centring, minimum interval. Every candidate
 * (each width multiple; skewed, or centred after a swap back to target when allowed) is priced by the economic
 * check and the best is taken when its expected gain exceeds gas and swap costs: where fees do not cover LVR in
 * range the check widens the base, where they do it keeps it narrow.
 */
export const inventoryStrategy: PureStrategy<InventoryParams, InventoryMemory> = {
  name: "inventory",
  parseParams: (params) => parseStrategyParams("inventory", paramsSchema, params ?? {}),
  initialMemory: () => ({ lastTimestamp: 0, driftArmed: true }),
  decide(snapshot, params, memory) {
    const { pool, vault, market } = snapshot;
    const price = priceFromSqrtPriceX96(pool.sqrtPriceX96);
    const total0 = Number(vault.total0);
    const total1 = Number(vault.total1);
    const { drift, value } = inventoryDrift({
      amount0: total0,
      amount1: total1,
      price,
      targetShare1: vault.targetShare1,
    });
    const band = params.driftBand;
    const armed = memory.driftArmed || Math.abs(drift) < band * params.rearmFraction;
    const seen: InventoryMemory = armed === memory.driftArmed ? memory : { ...memory, driftArmed: armed };

    let { trigger, reason } = baseTrigger(snapshot, params.recenterThreshold);
    if (trigger === null && Math.abs(drift) > band) {
      if (!armed)
        return holdDecision(seen, [
          reason,
          `drift ${drift.toFixed(3)} is beyond the band ±${band} but the trigger re-arms only below ±${(band * params.rearmFraction).toFixed(3)}`,
        ]);
      [trigger, reason] = ["drift", `drift ${drift.toFixed(3)} is beyond the band ±${band}`];
    }
    if (trigger === null) return holdDecision(seen, [reason, `drift ${drift.toFixed(3)} within ±${band}`]);
    const gate = rebalanceGate(snapshot, params.minIntervalSeconds, memory.lastTimestamp);
    if (gate !== null) return holdDecision(seen, [reason, gate], trigger);

    const { tick, tickSpacing } = pool;
    const halfWidth = volatilityHalfWidth({
      volatility: market.volatility,
      horizonSeconds: params.horizonSeconds,
      targetProbability: params.targetProbability,
      tickSpacing,
      maxHalfWidth: vault.bounds.maxBaseWidth / 2,
    });
    const limitWidthFor = (half: number, d: number) =>
      Math.min(
        Math.floor(vault.bounds.maxLimitWidth / tickSpacing) * tickSpacing,
        Math.max(
          Math.ceil(vault.bounds.minLimitWidth / tickSpacing) * tickSpacing,
          Math.ceil((2 * half * Math.abs(d)) / tickSpacing) * tickSpacing,
        ),
      );
    // q in token0 units and γ per unit of value, so that r/s − 1 = γ·drift·σ²·H whatever the vault's size.
    const sigmaPrice = price * Math.sqrt(market.volatility ** 2 / SECONDS_PER_YEAR);
    const reservation = reservationPrice({
      price,
      inventory: value > 0 ? -(drift * value) / price : 0,
      riskAversion: value > 0 ? params.riskAversion / value : 0,
      volatility: sigmaPrice,
      timeLeft: params.horizonSeconds,
    });
    const swap = params.allowSwap ? swapToTarget(snapshot, drift, value, price) : null;
    const candidates: { plan: RebalancePlan; label: string }[] = [];
    for (const multiple of params.widthMultiples) {
      const half = Math.min(
        vault.bounds.maxBaseWidth / 2,
        Math.ceil((halfWidth * multiple) / tickSpacing) * tickSpacing,
      );
      const maxSkew = params.maxSkewFraction * half;
      const skew =
        reservation > 0
          ? Math.max(-maxSkew, Math.min(maxSkew, Math.log(reservation / price) / LOG_TICK))
          : -maxSkew;
      const skewed = rangeAround({
        tick,
        centreTick: tick + skew,
        halfWidth: half,
        tickSpacing,
        bounds: vault.bounds,
      });
      candidates.push({
        plan: {
          baseLower: skewed.tickLower,
          baseUpper: skewed.tickUpper,
          limitWidth: limitWidthFor(half, drift),
          swap: null,
        },
        label: `base ±${half} ticks centred ${skew.toFixed(0)} ticks from the price (reservation price)`,
      });
      if (swap !== null) {
        const centred = rangeAround({
          tick,
          centreTick: tick,
          halfWidth: half,
          tickSpacing,
          bounds: vault.bounds,
        });
        candidates.push({
          plan: {
            baseLower: centred.tickLower,
            baseUpper: centred.tickUpper,
            limitWidth: limitWidthFor(half, 0),
            swap,
          },
          label: `swap ${swap.amountIn} of token${swap.zeroForOne ? 0 : 1} back to the target mix, base ±${half} ticks centred`,
        });
      }
    }
    const priced = candidates.map((c) => ({ ...c, economics: rebalanceEconomics(snapshot, c.plan, params) }));
    const best = priced.reduce((a, b) => (b.economics.net > a.economics.net ? b : a));
    if (trigger !== "initial" && best.economics.net <= 0)
      return holdDecision(
        seen,
        [
          reason,
          `best candidate (${best.label}): expected gain ${best.economics.expectedGain.toExponential(3)} does not cover gas ${best.economics.gasCost.toExponential(3)} + swap ${best.economics.swapCost.toExponential(3)}`,
        ],
        trigger,
        best.economics,
      );
    return {
      plan: best.plan,
      trigger,
      reasons: [reason, best.label],
      economics: best.economics,
      memory: { lastTimestamp: snapshot.timestamp, driftArmed: trigger === "drift" ? false : armed },
    };
  },
};

/**
 * An exact-input swap of the surplus back to the target mix, its price limit keeping the spot tick within the
 * vault's TWAP deviation (the vault checks it after the swap); null when the drift is negligible or no room is left.
 */
function swapToTarget(
  snapshot: Parameters<PureStrategy["decide"]>[0],
  drift: number,
  value: number,
  price: number,
): RebalancePlan["swap"] {
  const { twapTick, tick } = snapshot.pool;
  const room = snapshot.vault.bounds.maxTwapDeviation - 1;
  const excess = Math.abs(drift) * value;
  if (!(excess > 0) || Math.abs(drift) < 1e-3) return null;
  const zeroForOne = drift < 0;
  const limitTick = zeroForOne ? twapTick - room : twapTick + room + 1;
  if (zeroForOne ? limitTick >= tick : limitTick <= tick) return null;
  const amountIn = BigInt(Math.floor(zeroForOne ? excess / price : excess));
  if (amountIn === 0n) return null;
  return { zeroForOne, amountIn, sqrtPriceLimitX96: getSqrtRatioAtTick(limitTick) };
}
