import { BaseError, ContractFunctionRevertedError, encodeFunctionData, formatEther, type Hash } from "viem";

import { transactionsInFlight } from "../../storage/transactions.js";
import { cappedFees } from "./cappedFees.js";
import type { ContractCall } from "./contractCall.js";
import type { Executor } from "./createExecutor.js";
import { followTransaction, type FollowTransactionReturnType } from "./followTransaction.js";
import { nextNonce } from "./nextNonce.js";
import { signAndSend } from "./signAndSend.js";

export interface ExecuteCallParameters {
  /** The vault the call is for: at most one transaction per vault is in flight. */
  vault: string;
  call: ContractCall;
  /** The decision that asked for it, stored with the transaction. */
  decisionId?: number | null;
  /** Refuse when gas limit × max fee per gas would exceed this (the vault's risk limit). */
  maxCostWei?: bigint;
  /** Stops waiting for the receipt; the transaction stays journaled and is followed after a restart. */
  signal?: AbortSignal;
}

export type ExecuteCallReturnType =
  /** Another transaction of this vault is in flight: nothing was done. */
  | { status: "busy"; vault: string; reason: string; inFlight: Hash | null }
  /** Refused before signing: the simulation reverted, or a gas or fee limit would be broken. */
  | { status: "refused"; vault: string; reason: string }
  /** Dry-run: simulated, priced and signed (journaled as dry-run), never broadcast. */
  | {
      status: "dry-run";
      vault: string;
      hash: Hash;
      nonce: number;
      gas: bigint;
      maxFeePerGas: bigint;
      maxPriorityFeePerGas: bigint;
    }
  /** A node refused the signed transaction. */
  | { status: "failed"; vault: string; hash: Hash; reason: string }
  | FollowTransactionReturnType;

/**
 * Carries out one contract call for a vault: simulates it (nothing is signed if it would revert),
 * estimates gas (refused above the configured limit), prices it with capped EIP-1559 fees, takes the next
 * nonce, signs, journals, broadcasts (to the private endpoint when configured), then follows it to a final
 * receipt, replacing it with bumped fees if it gets stuck. Never two transactions of one vault in flight:
 * the in-memory busy set covers this process, the journal covers transactions left by an earlier one.
 */
export async function executeCall(
  executor: Executor,
  { vault, call, decisionId = null, maxCostWei, signal }: ExecuteCallParameters,
): Promise<ExecuteCallReturnType> {
  if (executor.busy.has(vault))
    return {
      status: "busy",
      vault,
      reason: "a transaction of this vault is being sent or followed",
      inFlight: null,
    };
  const journaled = transactionsInFlight(executor.db, vault);
  if (journaled.length > 0) {
    return {
      status: "busy",
      vault,
      reason: "a journaled transaction of this vault is still in flight",
      inFlight: journaled.at(-1)!.hash,
    };
  }
  executor.busy.add(vault);
  try {
    const { client, account } = executor;
    const value = call.value ?? 0n;
    let gas: bigint;
    try {
      await client.simulateContract({
        account,
        address: call.address,
        abi: call.abi,
        functionName: call.functionName,
        args: call.args ?? [],
        value,
      } as never);
      gas = await client.estimateContractGas({
        account,
        address: call.address,
        abi: call.abi,
        functionName: call.functionName,
        args: call.args ?? [],
        value,
      } as never);
    } catch (error) {
      return {
        status: "refused",
        vault,
        reason: `simulation of ${call.functionName} failed: ${revertReason(error)}`,
      };
    }
    // 20 % headroom over the estimate: state can change between simulation and inclusion.
    const gasLimit = (gas * 12n) / 10n;
    if (gas > executor.gasLimit)
      return {
        status: "refused",
        vault,
        reason: `needs ${gas} gas, above gas.gasLimit ${executor.gasLimit}`,
      };
    const gasWithHeadroom = gasLimit > executor.gasLimit ? executor.gasLimit : gasLimit;

    let fees;
    try {
      fees = await cappedFees(executor);
    } catch (error) {
      return { status: "refused", vault, reason: (error as Error).message };
    }
    const cost = gasWithHeadroom * fees.maxFeePerGas;
    if (maxCostWei !== undefined && cost > maxCostWei) {
      return {
        status: "refused",
        vault,
        reason: `could cost ${formatEther(cost)} ETH, above the vault's risk.maxGasCostEth ${formatEther(maxCostWei)}`,
      };
    }

    const data = encodeFunctionData({
      abi: call.abi,
      functionName: call.functionName,
      args: call.args ?? [],
    } as never);
    const send = async () => {
      const nonce = await nextNonce(executor);
      const sent = await signAndSend(executor, {
        vault,
        decisionId,
        to: call.address,
        data,
        value,
        functionName: call.functionName,
        nonce,
        gas: gasWithHeadroom,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
        replaces: null,
      });
      if (sent.status === "sent" || sent.status === "signed") executor.nextNonce = nonce + 1;
      // A refused send leaves the nonce unused: ask the chain again next time rather than leave a gap.
      if (sent.status === "failed") executor.nextNonce = undefined;
      return { nonce, sent };
    };
    const queued = executor.sendQueue.then(send);
    executor.sendQueue = queued.catch(() => undefined);
    const { nonce, sent } = await queued;
    const logged = {
      vault,
      hash: sent.hash,
      nonce,
      function: call.functionName,
      gas: gasWithHeadroom,
      maxFeePerGas: fees.maxFeePerGas,
      maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
    };
    if (sent.status === "dry-run") {
      executor.log.info(logged, "dry-run: transaction signed, not sent");
      return {
        status: "dry-run",
        vault,
        hash: sent.hash,
        nonce,
        gas: gasWithHeadroom,
        maxFeePerGas: fees.maxFeePerGas,
        maxPriorityFeePerGas: fees.maxPriorityFeePerGas,
      };
    }
    if (sent.status === "failed") {
      executor.log.error({ ...logged, reason: sent.error }, "transaction refused by the node");
      return { status: "failed", vault, hash: sent.hash, reason: sent.error ?? "refused" };
    }
    executor.log.info({ ...logged, status: sent.status }, "transaction sent");
    return await followTransaction(executor, { nonce, signal });
  } finally {
    executor.busy.delete(vault);
  }
}

/** The revert as the contract named it (custom error and arguments) when viem could decode it. */
function revertReason(error: unknown): string {
  if (!(error instanceof BaseError)) return String(error);
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.data !== undefined) {
    const args = (reverted.data.args ?? []).map((a) =>
      typeof a === "bigint" ? a.toString() : JSON.stringify(a),
    );
    return `${error.shortMessage} ${reverted.data.errorName}(${args.join(", ")})`;
  }
  return error.shortMessage;
}
