import { positionAmounts } from "../analytics/positionAmounts.js";
import { priceFromSqrtPriceX96, priceFromTick } from "../analytics/price.js";
import { probabilityInRange } from "../analytics/probabilityInRange.js";
import { SECONDS_PER_YEAR } from "../analytics/realisedVolatility.js";
import type { EconomicsParams } from "./economicsSchema.js";
import { plannedPositions, type EstimatedPosition } from "./plannedPositions.js";
import { swapCostEstimate } from "./swapCostEstimate.js";
import type { RebalanceEconomics, RebalancePlan, StrategySnapshot } from "./types.js";

// Gauss–Hermite nodes and weights for E[f(Z)], Z ~ N(0, 1), three points (exact for polynomials of degree 5).
const HERMITE: readonly [number, number][] = [
  [0, 2 / 3],
  [Math.sqrt(3), 1 / 6],
  [-Math.sqrt(3), 1 / 6],
];
// Points at which the horizon's mean time in range is sampled (midpoint rule).
const TIME_POINTS = 6;

interface Holdings {
  positions: EstimatedPosition[];
  idle0: number;
  idle1: number;
}

/**
 * The economic check shared by the strategies that have one: what a plan is expected to gain over holding the
 * current ranges for `horizonSeconds`, against what it costs now, all in token1 raw units.
 *
 * - fees: Σ L · feeRatePerLiquidity · H · E[share of the horizon in range] for the planned minus the current
 *   ranges (the share from probabilityInRange at six points of the horizon, driftless lognormal);
 * - lvr: the same sum with the LVR rate σ²√P/4 per unit of liquidity instead of the fee rate, subtracted: a
 *   narrower or better-centred range earns more fees but also loses more to arbitrage (Milionis et al.);
 * - inventoryRisk: the mean-variance penalty ½·γ·σ²·H·E[V·drift²] of holding a mix away from the target, with
 *   drift taken at the half-horizon price distribution (three-point Gauss–Hermite), current minus planned: a
 *   range that keeps the vault nearer its target mix as the price moves is worth that much (Avellaneda–Stoikov's
 *   inventory term, with γ relative to the vault's value);
 * - costs: gasPerRebalance × the snapshot's gas cost, and the swap's fee and price impact (swapCostEstimate).
 */
export function rebalanceEconomics(
  snapshot: StrategySnapshot,
  plan: RebalancePlan,
  params: EconomicsParams,
): RebalanceEconomics {
  const { pool, vault, market } = snapshot;
  const price = priceFromSqrtPriceX96(pool.sqrtPriceX96);
  const horizon = params.horizonSeconds;
  const variancePerSecond = (market.volatility * market.volatility) / SECONDS_PER_YEAR;
  const [total0, total1] = [Number(vault.total0), Number(vault.total1)];

  const held: EstimatedPosition[] = [vault.base, vault.limit]
    .filter((range) => range !== null && range.liquidity > 0n)
    .map((range) => ({
      tickLower: range!.tickLower,
      tickUpper: range!.tickUpper,
      liquidity: Number(range!.liquidity),
    }));
  const heldAmounts = amountsAt(held, price);
  const current: Holdings = {
    positions: held,
    idle0: Math.max(0, total0 - heldAmounts.amount0),
    idle1: Math.max(0, total1 - heldAmounts.amount1),
  };

  let [after0, after1, swapCost] = [total0, total1, 0];
  if (plan.swap !== null) {
    const swap = swapCostEstimate({
      zeroForOne: plan.swap.zeroForOne,
      amountIn: Number(plan.swap.amountIn),
      price,
      liquidity: Number(pool.liquidity),
      fee: pool.fee,
    });
    swapCost = swap.cost;
    if (plan.swap.zeroForOne)
      [after0, after1] = [total0 - Number(plan.swap.amountIn), total1 + swap.amountOut];
    else [after0, after1] = [total0 + swap.amountOut, total1 - Number(plan.swap.amountIn)];
  }
  const planned: Holdings = plannedPositions({
    plan,
    amount0: after0,
    amount1: after1,
    price,
    tick: pool.tick,
    tickSpacing: pool.tickSpacing,
  });

  const carry = (holdings: Holdings) => {
    let fees = 0;
    let lvr = 0;
    for (const position of holdings.positions) {
      if (position.liquidity <= 0) continue;
      const inRange = meanTimeInRange(position, price, market.volatility, horizon);
      fees += position.liquidity * market.feeRatePerLiquidity * horizon * inRange;
      lvr += (position.liquidity * variancePerSecond * Math.sqrt(price) * horizon * inRange) / 4;
    }
    return { fees, lvr };
  };
  const penalty = (holdings: Holdings) => {
    const s = Math.sqrt(variancePerSecond * (horizon / 2));
    let expected = 0;
    for (const [z, weight] of HERMITE) {
      const p = price * Math.exp(s * z - (s * s) / 2);
      const amounts = amountsAt(holdings.positions, p);
      const x = amounts.amount0 + holdings.idle0;
      const y = amounts.amount1 + holdings.idle1;
      const value = x * p + y;
      if (value <= 0) continue;
      const drift = y / value - vault.targetShare1;
      expected += weight * value * drift * drift;
    }
    return 0.5 * params.riskAversion * variancePerSecond * horizon * expected;
  };

  const [now, next] = [carry(current), carry(planned)];
  const fees = next.fees - now.fees;
  const lvr = next.lvr - now.lvr;
  const inventoryRisk = penalty(current) - penalty(planned);
  const expectedGain = fees - lvr + inventoryRisk;
  const gasCost = params.gasPerRebalance * market.gasCostPerUnit;
  return {
    expectedGain,
    gasCost,
    swapCost,
    net: expectedGain - gasCost - swapCost,
    breakdown: { fees, lvr, inventoryRisk },
    horizonSeconds: horizon,
  };
}

function amountsAt(positions: readonly EstimatedPosition[], price: number) {
  let [amount0, amount1] = [0, 0];
  for (const position of positions) {
    if (position.liquidity <= 0) continue;
    const amounts = positionAmounts({
      liquidity: position.liquidity,
      price,
      priceLower: priceFromTick(position.tickLower),
      priceUpper: priceFromTick(position.tickUpper),
    });
    amount0 += amounts.amount0;
    amount1 += amounts.amount1;
  }
  return { amount0, amount1 };
}

/** E[share of (0, H] the price spends in the range], by the midpoint rule over probabilityInRange. */
function meanTimeInRange(
  position: EstimatedPosition,
  price: number,
  volatility: number,
  horizon: number,
): number {
  const [priceLower, priceUpper] = [priceFromTick(position.tickLower), priceFromTick(position.tickUpper)];
  if (!(volatility > 0)) return price >= priceLower && price < priceUpper ? 1 : 0;
  let sum = 0;
  for (let k = 0; k < TIME_POINTS; k++) {
    const t = (horizon * (k + 0.5)) / TIME_POINTS;
    sum += probabilityInRange({ price, priceLower, priceUpper, volatility, horizon: t / SECONDS_PER_YEAR });
  }
  return sum / TIME_POINTS;
}
