/**
 * The vault's governance parameters (`IRangeVault.Params`) and the hard bounds RangeVault enforces on them, so
 * bad input is refused here with a message naming the field, before a transaction reverts on chain.
 */
export interface VaultParams {
  /** Seconds of the TWAP every price check compares against. */
  twapWindow: number;
  /** Largest |spot tick − TWAP tick| at which deposits and rebalances go through. */
  maxTwapDeviation: number;
  /** Seconds between two rebalances. */
  minRebalanceInterval: number;
  /** Bounds on the base range's width (upper − lower), in ticks. */
  minBaseWidth: number;
  maxBaseWidth: number;
  /** Bounds on the limit range's width, in ticks. */
  minLimitWidth: number;
  maxLimitWidth: number;
  /** Largest loss of one rebalance at the TWAP price, in basis points of the vault's value. */
  maxLossPerRebalanceBps: number;
  /** Capacity of the loss budget (basis points), which refills linearly over `lossWindow` seconds. */
  maxLossPerWindowBps: number;
  lossWindow: number;
  /** Token1's target share of the vault's value, in basis points. */
  targetToken1Bps: number;
}

/** The hard bounds in RangeVault.sol (constants there); tick-width bounds depend on the pool's spacing. */
export const VAULT_BOUNDS = {
  maxProtocolFeeBps: 2_000,
  twapWindow: [60, 3_600],
  maxTwapDeviation: [1, 500],
  minRebalanceInterval: [60, 7 * 86_400],
  maxLossPerRebalanceBps: 100,
  maxLossPerWindowBps: 500,
  lossWindow: [3_600, 30 * 86_400],
  targetToken1Bps: 10_000,
  /** Shares locked forever by the first deposit. */
  minimumShares: 1_000_000n,
} as const;

const MAX_TICK = 887_272;

export class InvalidVaultParamError extends Error {
  constructor(
    readonly field: string,
    readonly value: number,
    expected: string,
  ) {
    super(`vault parameter ${field} = ${value} is out of bounds: expected ${expected}`);
    this.name = "InvalidVaultParamError";
  }
}

/** Throws InvalidVaultParamError for the first field outside RangeVault's hard bounds for a pool of `tickSpacing`. */
export function validateVaultParams(params: VaultParams, tickSpacing: number, protocolFeeBps = 0): void {
  const fullWidth = 2 * Math.trunc(MAX_TICK / tickSpacing) * tickSpacing;
  const check = (field: string, value: number, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new InvalidVaultParamError(field, value, `an integer in [${min}, ${max}]`);
    }
  };
  const b = VAULT_BOUNDS;
  check("protocolFeeBps", protocolFeeBps, 0, b.maxProtocolFeeBps);
  check("twapWindow", params.twapWindow, ...b.twapWindow);
  check("maxTwapDeviation", params.maxTwapDeviation, ...b.maxTwapDeviation);
  check("minRebalanceInterval", params.minRebalanceInterval, ...b.minRebalanceInterval);
  check("minBaseWidth", params.minBaseWidth, 2 * tickSpacing, fullWidth);
  check("maxBaseWidth", params.maxBaseWidth, params.minBaseWidth, fullWidth);
  check("minLimitWidth", params.minLimitWidth, tickSpacing, fullWidth / 2);
  check("maxLimitWidth", params.maxLimitWidth, params.minLimitWidth, fullWidth / 2);
  check("maxLossPerWindowBps", params.maxLossPerWindowBps, 0, b.maxLossPerWindowBps);
  check(
    "maxLossPerRebalanceBps",
    params.maxLossPerRebalanceBps,
    0,
    Math.min(b.maxLossPerRebalanceBps, params.maxLossPerWindowBps),
  );
  check("lossWindow", params.lossWindow, ...b.lossWindow);
  check("targetToken1Bps", params.targetToken1Bps, 0, b.targetToken1Bps);
}

/**
 * Defaults for a pool of `tickSpacing`: 60 s TWAP, 100-tick deviation (about 1 %), a rebalance at most every 5 min,
 * base widths from 10 spacings to full range, 0.5 % per rebalance and 2 % per day of loss budget, target 50/50.
 */
export function defaultVaultParams(tickSpacing: number): VaultParams {
  const fullWidth = 2 * Math.trunc(MAX_TICK / tickSpacing) * tickSpacing;
  return {
    twapWindow: 60,
    maxTwapDeviation: 100,
    minRebalanceInterval: 300,
    minBaseWidth: 10 * tickSpacing,
    maxBaseWidth: fullWidth,
    minLimitWidth: tickSpacing,
    maxLimitWidth: fullWidth / 2,
    maxLossPerRebalanceBps: 50,
    maxLossPerWindowBps: 200,
    lossWindow: 86_400,
    targetToken1Bps: 5_000,
  };
}
