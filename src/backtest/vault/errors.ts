/**
 * RangeVault would revert here: `error` is the contract's custom error name (e.g. "RebalanceTooSoon",
 * "BaseExcludesPrice"), `args` its arguments, so a backtest, a test or the demo can compare a modelled revert
 * with the real one. The model's state is left as it was before the call.
 */
export class VaultRevertError extends Error {
  constructor(
    readonly error: string,
    readonly args: readonly (bigint | number | boolean | string)[],
    detail: string,
  ) {
    super(`RangeVault would revert with ${error}(${args.join(", ")}): ${detail}`);
    this.name = "VaultRevertError";
  }
}
