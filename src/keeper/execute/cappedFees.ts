import type { PublicClient } from "viem";

import type { Executor } from "./createExecutor.js";

export class FeeCapTooLowError extends Error {
  constructor(baseFee: bigint, cap: bigint) {
    super(
      `The base fee (${baseFee} wei) is above gas.maxFeePerGasGwei (${cap} wei): nothing is sent until it falls, ` +
        `or raise the cap in the config`,
    );
    this.name = "FeeCapTooLowError";
  }
}

export interface CappedFees {
  maxFeePerGas: bigint;
  maxPriorityFeePerGas: bigint;
  baseFeePerGas: bigint;
}

/**
 * EIP-1559 fees for the next block: the node's estimate, each part capped by the config. Refuses when the
 * current base fee alone exceeds the fee cap (such a transaction could not be included).
 */
export async function cappedFees(executor: Pick<Executor, "client" | "fees">): Promise<CappedFees> {
  const client: PublicClient = executor.client;
  const [block, priority] = await Promise.all([
    client.getBlock({ blockTag: "latest" }),
    client.estimateMaxPriorityFeePerGas(),
  ]);
  const baseFeePerGas = block.baseFeePerGas ?? 0n;
  const cap = executor.fees;
  if (baseFeePerGas > cap.maxFeePerGas) throw new FeeCapTooLowError(baseFeePerGas, cap.maxFeePerGas);
  const maxPriorityFeePerGas = min(priority, cap.maxPriorityFeePerGas);
  // Room for two base-fee rises of 12.5 % before the transaction stops being includable.
  const maxFeePerGas = min(baseFeePerGas * 2n + maxPriorityFeePerGas, cap.maxFeePerGas);
  return { maxFeePerGas, maxPriorityFeePerGas: min(maxPriorityFeePerGas, maxFeePerGas), baseFeePerGas };
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
