import { z } from "zod/v4";

/** The economic check's params, shared by the strategies that have one (see rebalanceEconomics). */
export const economicsShape = {
  /** Seconds over which a rebalance's expected gain is counted (and the base's width is sized). */
  horizonSeconds: z.number().positive().default(86_400),
  /** Gas one rebalance uses: RangeVault measures 570k–630k (docs/vault.md, test/contracts/vaultGas). */
  gasPerRebalance: z.number().int().positive().default(600_000),
  /**
   * γ relative to the vault's value: the inventory penalty is ½·γ·σ²·H·V·drift² (and the A–S skew). 5 lies in
   * the range of relative risk aversion used in portfolio choice (2–10); chosen before any backtest.
   */
  riskAversion: z.number().nonnegative().default(5),
};

export type EconomicsParams = {
  horizonSeconds: number;
  gasPerRebalance: number;
  riskAversion: number;
};
