import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { erc20Abi, maxUint256, parseEventLogs, type Address, type Hash } from "viem";

import { swapRouterAbi, uniswapV3PoolAbi } from "./abi/uniswap.js";
import type { UniswapDeployment } from "./uniswap.js";

/** The pool's bounds on sqrtPriceX96 (TickMath.MIN_SQRT_RATIO, MAX_SQRT_RATIO); a target must lie strictly inside. */
const MIN_SQRT_RATIO = 4295128739n;
const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;

export class PriceTargetNotReachedError extends Error {
  constructor(pool: Address, target: bigint, reached: bigint, reason: string) {
    super(`Pool ${pool} stopped at sqrtPriceX96 ${reached}, short of the target ${target}: ${reason}`);
    this.name = "PriceTargetNotReachedError";
  }
}

export interface MovePriceToParameters {
  pool: Address;
  /** Price to move to, as the pool stores it (Q64.96 square root of token1/token0 in raw units). */
  sqrtPriceX96: bigint;
  /** Account that trades; it needs enough of the input token (see fundAccount) and pays gas. */
  trader: Address;
  /**
   * On a chain that does not mine by itself (automine off): called once the swap is in the mempool, to mine
   * it (the block's time and base fee are the caller's; set its time before the call, so that the swap's gas
   * estimate sees it). The router must already be approved then.
   */
  mine?: (hash: Hash) => Promise<void>;
}

export interface MovePriceToReturnType {
  /** Null when the pool already sat at the target and nothing was sent. */
  hash: Hash | null;
  zeroForOne: boolean;
  /** Signed pool deltas as in the Swap event: positive = paid into the pool. */
  amount0: bigint;
  amount1: bigint;
  sqrtPriceX96: bigint;
  tick: number;
  gasUsed: bigint;
}

/**
 * Moves a pool's price to exactly `sqrtPriceX96` with one swap through the real SwapRouter: an exact-input
 * swap of the trader's whole balance of the input token, capped by the target as price limit, so the pool
 * takes only what the move needs. Used to replay recorded price paths into the mirror.
 */
export async function movePriceTo(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  { pool, sqrtPriceX96: target, trader, mine }: MovePriceToParameters,
): Promise<MovePriceToReturnType> {
  if (target <= MIN_SQRT_RATIO || target >= MAX_SQRT_RATIO) {
    throw new RangeError(
      `sqrtPriceX96 must lie strictly between ${MIN_SQRT_RATIO} and ${MAX_SQRT_RATIO}, got ${target}`,
    );
  }
  const publicClient = await viem.getPublicClient();
  const read = <F extends "slot0" | "token0" | "token1" | "fee">(functionName: F) =>
    publicClient.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName } as const);
  const [slot0, token0, token1, fee] = await Promise.all([
    read("slot0"),
    read("token0"),
    read("token1"),
    read("fee"),
  ]);
  const [current, currentTick] = slot0 as readonly [bigint, number, ...unknown[]];
  const zeroForOne = target < current;
  if (target === current) {
    return {
      hash: null,
      zeroForOne,
      amount0: 0n,
      amount1: 0n,
      sqrtPriceX96: current,
      tick: currentTick,
      gasUsed: 0n,
    };
  }

  const tokenIn = zeroForOne ? (token0 as Address) : (token1 as Address);
  const tokenOut = zeroForOne ? (token1 as Address) : (token0 as Address);
  const wallet = await viem.getWalletClient(trader);
  const wait = (hash: Hash) => publicClient.waitForTransactionReceipt({ hash });
  const balance = await publicClient.readContract({
    address: tokenIn,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [trader],
  });
  if (balance === 0n)
    throw new PriceTargetNotReachedError(pool, target, current, `trader ${trader} holds none of ${tokenIn}`);
  const allowance = await publicClient.readContract({
    address: tokenIn,
    abi: erc20Abi,
    functionName: "allowance",
    args: [trader, deployment.swapRouter],
  });
  if (allowance < balance) {
    await wait(
      await wallet.writeContract({
        address: tokenIn,
        abi: erc20Abi,
        functionName: "approve",
        args: [deployment.swapRouter, maxUint256],
      }),
    );
  }

  const hash = await wallet.writeContract({
    address: deployment.swapRouter,
    abi: swapRouterAbi,
    functionName: "exactInputSingle",
    args: [
      {
        tokenIn,
        tokenOut,
        fee: fee as number,
        recipient: trader,
        deadline: maxUint256,
        amountIn: balance,
        amountOutMinimum: 0n,
        sqrtPriceLimitX96: target,
      },
    ],
  });
  await mine?.(hash);
  const receipt = await wait(hash);
  if (receipt.status !== "success")
    throw new PriceTargetNotReachedError(pool, target, current, `swap ${hash} reverted`);
  const [swap] = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Swap", logs: receipt.logs });
  if (swap === undefined)
    throw new PriceTargetNotReachedError(pool, target, current, `swap ${hash} emitted no Swap event`);
  const { amount0, amount1, sqrtPriceX96, tick } = swap.args;
  if (sqrtPriceX96 !== target) {
    throw new PriceTargetNotReachedError(
      pool,
      target,
      sqrtPriceX96,
      `the trader's ${balance} of ${tokenIn} ran out first`,
    );
  }
  return { hash, zeroForOne, amount0, amount1, sqrtPriceX96, tick, gasUsed: receipt.gasUsed };
}
