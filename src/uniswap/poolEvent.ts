import type { Address, Hex } from "viem";

/** Where a pool event sits in history; logs are replayed in (blockNumber, logIndex) order. */
export interface PoolEventLocation {
  blockNumber: bigint;
  logIndex: number;
  transactionHash: Hex | null;
  /** Block timestamp in seconds, when the source has it (CSV files do; plain RPC logs do not). */
  timestamp: number | null;
}

/** The pool's Swap event: signed pool deltas (positive = paid in) and the state after the swap. */
export interface SwapEvent extends PoolEventLocation {
  type: "swap";
  sender: Address;
  recipient: Address;
  amount0: bigint;
  amount1: bigint;
  sqrtPriceX96: bigint;
  liquidity: bigint;
  tick: number;
}

export interface MintEvent extends PoolEventLocation {
  type: "mint";
  sender: Address;
  owner: Address;
  tickLower: number;
  tickUpper: number;
  /** Liquidity added. */
  amount: bigint;
  amount0: bigint;
  amount1: bigint;
}

export interface BurnEvent extends PoolEventLocation {
  type: "burn";
  owner: Address;
  tickLower: number;
  tickUpper: number;
  /** Liquidity removed (0 for a poke). */
  amount: bigint;
  amount0: bigint;
  amount1: bigint;
}

export interface CollectEvent extends PoolEventLocation {
  type: "collect";
  owner: Address;
  recipient: Address;
  tickLower: number;
  tickUpper: number;
  amount0: bigint;
  amount1: bigint;
}

export interface FlashEvent extends PoolEventLocation {
  type: "flash";
  sender: Address;
  recipient: Address;
  amount0: bigint;
  amount1: bigint;
  paid0: bigint;
  paid1: bigint;
}

/** The events that change a pool's liquidity, price or fees; what a replay consumes. */
export type PoolEvent = SwapEvent | MintEvent | BurnEvent | CollectEvent | FlashEvent;
