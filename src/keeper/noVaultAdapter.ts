import type { VaultAdapter } from "./vaultAdapter.js";

export class VaultNotIntegratedError extends Error {
  constructor(vault: string) {
    super(
      `vault ${vault}: a strategy asked for a rebalance, but no vault contract adapter is plugged in yet; use strategy "observe"`,
    );
    this.name = "VaultNotIntegratedError";
  }
}

/** Until the vault contract lands: no vault reads, no vault state, and no way to turn a plan into a call. */
export const noVaultAdapter: VaultAdapter<null, unknown> = {
  reads: () => [],
  decode: () => null,
  toCall: (vault) => {
    throw new VaultNotIntegratedError(vault.name);
  },
};
