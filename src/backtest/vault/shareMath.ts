import { mulDiv, mulDivRoundingUp } from "../../uniswap/fullMath.js";
import { VaultRevertError } from "./errors.js";

/** ShareMath.sharesForDeposit: shares rounded down, each amount rounded up (at most the desired amount). */
export function sharesForDeposit(
  total0: bigint,
  total1: bigint,
  supply: bigint,
  amount0Desired: bigint,
  amount1Desired: bigint,
): { shares: bigint; amount0: bigint; amount1: bigint } {
  if (total0 === 0n && total1 === 0n) throw new VaultRevertError("EmptyVault", [], "the vault holds nothing");
  let shares = (1n << 256n) - 1n;
  if (total0 !== 0n) shares = mulDiv(amount0Desired, supply, total0);
  if (total1 !== 0n) {
    const shares1 = mulDiv(amount1Desired, supply, total1);
    if (shares1 < shares) shares = shares1;
  }
  return {
    shares,
    amount0: mulDivRoundingUp(shares, total0, supply),
    amount1: mulDivRoundingUp(shares, total1, supply),
  };
}

/** ShareMath.proRata: the part of `amount` that `shares` of `supply` own, rounded down. */
export function proRata(amount: bigint, shares: bigint, supply: bigint): bigint {
  return mulDiv(amount, shares, supply);
}
