import * as constants from "./constants.js";
import { PoolRevertError } from "./errors.js";

// Read once: under the TypeScript loaders used here (tsx) an imported binding is a getter, which the hot
// loops would otherwise call on every read.
const { MAX_UINT256 } = constants;

/**
 * FullMath and UnsafeMath of v3-core on bigint. Inputs are uint256 values; bigint products never overflow,
 * so the 512-bit tricks of the Solidity code are unnecessary, but its reverts are kept: a zero denominator
 * and a result that does not fit in 256 bits both revert there, and do here.
 */
export function mulDiv(a: bigint, b: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new PoolRevertError("mulDiv", "denominator is zero");
  const result = (a * b) / denominator;
  if (result > MAX_UINT256) throw new PoolRevertError("mulDiv", `a * b / denominator overflows 256 bits`);
  return result;
}

export function mulDivRoundingUp(a: bigint, b: bigint, denominator: bigint): bigint {
  if (denominator === 0n) throw new PoolRevertError("mulDiv", "denominator is zero");
  const product = a * b;
  let result = product / denominator;
  if (result * denominator !== product) result += 1n;
  if (result > MAX_UINT256) throw new PoolRevertError("mulDiv", `a * b / denominator overflows 256 bits`);
  return result;
}

/** UnsafeMath.divRoundingUp: ceil(x / y), and 0 for y = 0 as the EVM's `div` gives. */
export function divRoundingUp(x: bigint, y: bigint): bigint {
  if (y === 0n) return 0n;
  const quotient = x / y;
  return quotient * y === x ? quotient : quotient + 1n;
}
