import type { GasModel } from "./backtestResult.js";

/**
 * Gas of the vault as measured (docs/vault.md, `npm run bench:gas`, ceilings in test/contracts/vaultGas): the
 * first rebalance 327,487 (nothing to burn), later ones 570,693–629,427 (burn 2, mint 2; more when new ticks
 * are initialised), so 600,000; a swap through the pool adds about what a bare pool swap costs inside a call.
 * Gas is paid in ETH; `ethInToken1` is 1 when token1 is WETH (1 wei = 1 raw unit).
 */
export function defaultGasModel(overrides: Partial<GasModel> = {}): GasModel {
  return {
    gasPriceGwei: 20,
    ethInToken1: 1,
    firstRebalanceGas: 330_000,
    rebalanceGas: 600_000,
    swapGas: 100_000,
    ...overrides,
  };
}

/** Token1 raw units one unit of gas costs under `model`. */
export function gasCostPerUnit(model: GasModel): number {
  return model.gasPriceGwei * 1e9 * model.ethInToken1;
}
