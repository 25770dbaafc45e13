import type { VaultConfig } from "./config/schema.js";
import type { ContractCall } from "./execute/contractCall.js";
import type { ContractRead, ContractReadResult } from "./rpc/readContractsAtBlock.js";
import type { VaultSnapshot } from "./snapshot.js";

/**
 * Where a vault contract plugs into the keeper: which extra reads go into each block's one batched
 * request, how their results become the snapshot's `vaultState`, and which call carries out a plan
 * (with the expected tick and tolerance the vault checks).
 */
export interface VaultAdapter<VaultState = unknown, Plan = unknown> {
  reads(vault: VaultConfig): ContractRead[];
  /** `results` are those of `reads(vault)`, in order. */
  decode(vault: VaultConfig, results: ContractReadResult[]): VaultState;
  toCall(vault: VaultConfig, plan: Plan, snapshot: VaultSnapshot<VaultState>): ContractCall;
}
