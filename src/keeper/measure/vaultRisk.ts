import { lvrRate } from "../../analytics/lvrRate.js";
import { normalCdf, normalQuantile } from "../../analytics/normal.js";
import { positionGreeks } from "../../analytics/positionGreeks.js";
import { priceFromTick } from "../../analytics/price.js";
import { valueAtRisk } from "../../analytics/valueAtRisk.js";

/** A range as the analytics take it: liquidity and tick bounds. */
export interface RiskRange {
  liquidity: bigint;
  tickLower: number;
  tickUpper: number;
}

export interface VaultRiskParameters {
  /** Token0's price in token1, raw units. */
  price: number;
  ranges: readonly RiskRange[];
  /** Tokens held outside the ranges (idle, uncollected fees): token0 counts in delta and risk, token1 is cash. */
  outside0: number;
  /** Annualised σ of ln P; horizon in years. */
  volatility: number;
  horizon: number;
  confidence: number;
}

export interface VaultRisk {
  /** ∂V/∂P: token0 held, raw units (ranges and outside). */
  delta: number;
  /** ∂²V/∂P², raw units (the ranges' short gamma). */
  gamma: number;
  /** Instantaneous LVR, σ²L√P/4 summed over ranges in range: token1 raw per year. */
  lvrRatePerYear: number;
  /** Over the horizon at the confidence level, token1 raw. */
  valueAtRisk: number;
  conditionalValueAtRisk: number;
}

/**
 * Greeks, LVR rate and VaR/CVaR of everything a vault holds. Every piece's value (each range, and token0
 * held outside them) is non-decreasing in P, so all pieces meet their α-quantile loss at the same price: VaR
 * and CVaR of the sum are the sums of the pieces' (comonotonic additivity), each in closed form.
 */
export function vaultRisk(p: VaultRiskParameters): VaultRisk {
  let delta = p.outside0;
  let gamma = 0;
  let lvr = 0;
  let valueAtRiskSum = 0;
  let conditional = 0;
  // The price quantile all pieces share, and E[P · 1{P ≤ q}] / (1 − α) for token0 held outright.
  const s = p.volatility * Math.sqrt(p.horizon);
  const m = (-p.volatility * p.volatility * p.horizon) / 2;
  const z = normalQuantile(1 - p.confidence);
  const quantile = p.price * Math.exp(m + s * z);
  const tailMean = s === 0 ? quantile : (p.price * normalCdf(z - s)) / (1 - p.confidence);
  valueAtRiskSum += p.outside0 * (p.price - quantile);
  conditional += p.outside0 * (p.price - tailMean);
  for (const range of p.ranges) {
    const position = {
      liquidity: Number(range.liquidity),
      price: p.price,
      priceLower: priceFromTick(range.tickLower),
      priceUpper: priceFromTick(range.tickUpper),
    };
    const greeks = positionGreeks(position);
    delta += greeks.delta;
    gamma += greeks.gamma;
    lvr += lvrRate({
      liquidity: position.liquidity,
      price: position.price,
      priceLower: position.priceLower,
      priceUpper: position.priceUpper,
      volatility: p.volatility,
    });
    const risk = valueAtRisk({
      liquidity: position.liquidity,
      price: position.price,
      priceLower: position.priceLower,
      priceUpper: position.priceUpper,
      volatility: p.volatility,
      horizon: p.horizon,
      confidence: p.confidence,
    });
    valueAtRiskSum += risk.valueAtRisk;
    conditional += risk.conditionalValueAtRisk;
  }
  return {
    delta,
    gamma,
    lvrRatePerYear: lvr,
    valueAtRisk: valueAtRiskSum,
    conditionalValueAtRisk: conditional,
  };
}
