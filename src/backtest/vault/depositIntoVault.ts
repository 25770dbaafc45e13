import { VAULT_BOUNDS } from "../../chain/vault/params.js";
import { VaultRevertError } from "./errors.js";
import { sharesForDeposit } from "./shareMath.js";
import {
  accrueProtocolFees,
  checkDeviation,
  idle,
  pokeRange,
  twapTick,
  type CollectedFees,
} from "./vaultInternals.js";
import { cloneVaultModel, type VaultModel } from "./vaultModel.js";

const LOCKED_SHARES_HOLDER = "0x000000000000000000000000000000000000dEaD";

export interface DepositParameters {
  /** Who receives the shares (the sender pays; the model keeps no token balances of accounts). */
  to: string;
  amount0Desired: bigint;
  amount1Desired: bigint;
  amount0Min?: bigint;
  amount1Min?: bigint;
  minShares?: bigint;
}

export interface DepositOutcome {
  shares: bigint;
  amount0: bigint;
  amount1: bigint;
  /** FeesCollected of the pokes before pricing, when there were fees. */
  collected: CollectedFees | null;
}

/**
 * RangeVault.deposit: the first deposit sets the proportion and locks MINIMUM_SHARES; later ones check the spot
 * tick against the TWAP, collect both ranges' fees (they belong to the current holders) and are priced against
 * everything held, shares rounded down and amounts up. Throws VaultRevertError as the contract reverts.
 */
export function depositIntoVault(model: VaultModel, parameters: DepositParameters): DepositOutcome {
  const { to, amount0Desired, amount1Desired } = parameters;
  if (to === "0x0000000000000000000000000000000000000000" || to.toLowerCase() === model.address.toLowerCase())
    throw new VaultRevertError("InvalidRecipient", [to], "the recipient must be neither zero nor the vault");
  if (amount0Desired === 0n && amount1Desired === 0n)
    throw new VaultRevertError("ZeroDeposit", [], "both desired amounts are zero");
  if (model.paused) throw new VaultRevertError("DepositsAndRebalancesPaused", [], "the vault is paused");
  const work = cloneVaultModel(model);
  let shares: bigint;
  let amount0: bigint;
  let amount1: bigint;
  let collected: CollectedFees | null = null;
  if (work.totalSupply === 0n) {
    shares = amount0Desired > amount1Desired ? amount0Desired : amount1Desired;
    const minimum = VAULT_BOUNDS.minimumShares;
    if (shares <= minimum)
      throw new VaultRevertError(
        "FirstDepositTooSmall",
        [shares, minimum],
        `the first deposit must exceed ${minimum}`,
      );
    mint(work, LOCKED_SHARES_HOLDER, minimum);
    shares -= minimum;
    [amount0, amount1] = [amount0Desired, amount1Desired];
  } else {
    const { sqrtPriceX96, tick } = work.pool;
    checkDeviation(work, tick, twapTick(work));
    const sums: [bigint, bigint, bigint, bigint] = [0n, 0n, 0n, 0n];
    pokeRange(work, sums, work.baseLower, work.baseUpper, sqrtPriceX96);
    pokeRange(work, sums, work.limitLower, work.limitUpper, sqrtPriceX96);
    collected = accrueProtocolFees(work, sums[2], sums[3]).collected;
    const { idle0, idle1 } = idle(work);
    ({ shares, amount0, amount1 } = sharesForDeposit(
      sums[0] + idle0,
      sums[1] + idle1,
      work.totalSupply,
      amount0Desired,
      amount1Desired,
    ));
  }
  if (shares === 0n) throw new VaultRevertError("ZeroShares", [], "the deposit buys no shares");
  const { amount0Min = 0n, amount1Min = 0n, minShares = 0n } = parameters;
  if (shares < minShares)
    throw new VaultRevertError("TooFewShares", [shares, minShares], "fewer shares than minShares");
  if (amount0 < amount0Min)
    throw new VaultRevertError("Amount0BelowMin", [amount0, amount0Min], "token0 paid is below amount0Min");
  if (amount1 < amount1Min)
    throw new VaultRevertError("Amount1BelowMin", [amount1, amount1Min], "token1 paid is below amount1Min");
  work.balance0 += amount0;
  work.balance1 += amount1;
  mint(work, to, shares);
  Object.assign(model, work);
  return { shares, amount0, amount1, collected };
}

function mint(model: VaultModel, to: string, shares: bigint): void {
  const key = to.toLowerCase();
  model.shares.set(key, (model.shares.get(key) ?? 0n) + shares);
  model.totalSupply += shares;
}
