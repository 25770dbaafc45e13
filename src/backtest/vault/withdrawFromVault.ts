import { VaultRevertError } from "./errors.js";
import { proRata } from "./shareMath.js";
import {
  accrueProtocolFees,
  burnAndCollect,
  idle,
  liquidityOf,
  type CollectedFees,
} from "./vaultInternals.js";
import { cloneVaultModel, type VaultModel } from "./vaultModel.js";

export interface WithdrawParameters {
  /** The holder whose shares are burnt (msg.sender). */
  from: string;
  shares: bigint;
  amount0Min?: bigint;
  amount1Min?: bigint;
}

export interface WithdrawOutcome {
  amount0: bigint;
  amount1: bigint;
  collected: CollectedFees | null;
}

/**
 * RangeVault.withdraw: burns the shares first, then pays their pro-rata part of the idle tokens (measured
 * before any collect), of each range's liquidity (burnt, rounded down) and of the fees collected on the way.
 * Never paused and never priced. Throws VaultRevertError as the contract reverts.
 */
export function withdrawFromVault(model: VaultModel, parameters: WithdrawParameters): WithdrawOutcome {
  const { shares } = parameters;
  if (shares === 0n) throw new VaultRevertError("ZeroShares", [], "withdrawing zero shares");
  const key = parameters.from.toLowerCase();
  const held = model.shares.get(key) ?? 0n;
  if (held < shares)
    throw new VaultRevertError(
      "ERC20InsufficientBalance",
      [parameters.from, held, shares],
      "not enough shares",
    );
  const work = cloneVaultModel(model);
  const supply = work.totalSupply;
  work.shares.set(key, held - shares);
  work.totalSupply -= shares;

  const { idle0, idle1 } = idle(work);
  let amount0 = proRata(idle0, shares, supply);
  let amount1 = proRata(idle1, shares, supply);
  const ranges = [
    [work.baseLower, work.baseUpper],
    [work.limitLower, work.limitUpper],
  ] as const;
  let [principal0, principal1, fees0, fees1] = [0n, 0n, 0n, 0n];
  for (const [lower, upper] of ranges) {
    const liquidity = liquidityOf(work, lower, upper);
    if (liquidity === 0n) continue;
    const out = burnAndCollect(work, lower, upper, proRata(liquidity, shares, supply));
    principal0 += out.burnt0;
    principal1 += out.burnt1;
    fees0 += out.fees0;
    fees1 += out.fees1;
  }
  const { net0, net1, collected } = accrueProtocolFees(work, fees0, fees1);
  amount0 += principal0 + proRata(net0, shares, supply);
  amount1 += principal1 + proRata(net1, shares, supply);

  const { amount0Min = 0n, amount1Min = 0n } = parameters;
  if (amount0 < amount0Min)
    throw new VaultRevertError(
      "Amount0BelowMin",
      [amount0, amount0Min],
      "token0 paid out is below amount0Min",
    );
  if (amount1 < amount1Min)
    throw new VaultRevertError(
      "Amount1BelowMin",
      [amount1, amount1Min],
      "token1 paid out is below amount1Min",
    );
  work.balance0 -= amount0;
  work.balance1 -= amount1;
  Object.assign(model, work);
  return { amount0, amount1, collected };
}
