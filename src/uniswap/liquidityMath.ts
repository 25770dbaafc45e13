import * as constants from "./constants.js";
import { PoolRevertError } from "./errors.js";

// Read once: under the TypeScript loaders used here (tsx) an imported binding is a getter, which the hot
// loops would otherwise call on every read.
const { MAX_UINT128 } = constants;

/** LiquidityMath.addDelta: uint128 liquidity plus a signed int128 delta, reverting 'LS' / 'LA' as the pool does. */
export function addDelta(x: bigint, y: bigint): bigint {
  const z = x + y;
  if (y < 0n) {
    if (z < 0n) throw new PoolRevertError("LS", `liquidity ${x} cannot lose ${-y}`);
  } else if (z > MAX_UINT128) {
    throw new PoolRevertError("LA", `liquidity ${x} + ${y} overflows uint128`);
  }
  return z;
}
