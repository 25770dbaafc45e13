import type { Abi, Address } from "viem";

/** A state-changing call as viem's simulateContract/writeContract take it. */
export interface ContractCall {
  address: Address;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  value?: bigint;
}
