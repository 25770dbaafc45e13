import { positionAmounts, type PositionAmountsParameters } from "./positionAmounts.js";

/** A range position's value in token1 at price P: x·P + y, i.e. L(2√P − √Pa − P/√Pb) in range. */
export function positionValue(parameters: PositionAmountsParameters): number {
  const { amount0, amount1 } = positionAmounts(parameters);
  return amount0 * parameters.price + amount1;
}
