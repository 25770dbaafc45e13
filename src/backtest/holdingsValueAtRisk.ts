import { logReturnMoments } from "../analytics/lognormalHorizon.js";
import { normalCdf, normalQuantile } from "../analytics/normal.js";
import { valueAtRisk } from "../analytics/valueAtRisk.js";

/** A vault's holdings as doubles: ranges by price bounds, and idle tokens (raw units). */
export interface Holdings {
  positions: { liquidity: number; priceLower: number; priceUpper: number }[];
  idle0: number;
  idle1: number;
}

/**
 * VaR and CVaR of a whole vault (ranges and idle tokens), in token1, closed form under lognormal prices. Every
 * piece's value is non-decreasing in P, so all meet their α-loss at the same price quantile: the VaRs add, and
 * so do the tail expectations behind the CVaRs (valueAtRisk for each range, E[x·P·1{P ≤ p}] for idle token0).
 */
export function holdingsValueAtRisk(
  holdings: Holdings,
  market: { price: number; volatility: number; horizon: number; confidence: number },
): { value: number; valueAtRisk: number; conditionalValueAtRisk: number } {
  const { price, volatility, horizon, confidence } = market;
  let value = holdings.idle0 * price + holdings.idle1;
  let loss = 0;
  let tailLoss = 0;
  for (const position of holdings.positions) {
    if (position.liquidity <= 0) continue;
    const risk = valueAtRisk({ ...position, price, volatility, horizon, confidence });
    value += risk.value;
    loss += risk.valueAtRisk;
    tailLoss += risk.conditionalValueAtRisk;
  }
  if (holdings.idle0 > 0) {
    const { m, s } = logReturnMoments({ price, volatility, horizon });
    const quantile = price * Math.exp(m + s * normalQuantile(1 - confidence));
    const held = holdings.idle0 * price;
    loss += holdings.idle0 * (price - quantile);
    const tail =
      s === 0
        ? 0
        : held * Math.exp(m + (s * s) / 2) * normalCdf((Math.log(quantile / price) - m - s * s) / s);
    tailLoss += s === 0 ? 0 : held - tail / (1 - confidence);
  }
  return { value, valueAtRisk: loss, conditionalValueAtRisk: tailLoss };
}
