import type { TickDataProvider } from "@uniswap/v3-sdk";
import type { Address, PublicClient } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";

function msb(x: bigint): number {
  return x.toString(2).length - 1;
}

function lsb(x: bigint): number {
  return msb(x & -x);
}

/**
 * @uniswap/v3-sdk tick data read lazily from a live pool's tickBitmap and ticks, so the SDK can price a
 * swap against any pool state (mirror or fork) without a complete tick list. Mirrors TickBitmap.sol's
 * nextInitializedTickWithinOneWord.
 */
export class OnchainTickDataProvider implements TickDataProvider {
  constructor(
    private readonly client: PublicClient,
    private readonly pool: Address,
  ) {}

  async getTick(tick: number): Promise<{ liquidityNet: string }> {
    const [, liquidityNet] = await this.client.readContract({
      address: this.pool,
      abi: uniswapV3PoolAbi,
      functionName: "ticks",
      args: [tick],
    });
    return { liquidityNet: liquidityNet.toString() };
  }

  async nextInitializedTickWithinOneWord(
    tick: number,
    lte: boolean,
    tickSpacing: number,
  ): Promise<[number, boolean]> {
    let compressed = Math.floor(tick / tickSpacing);
    if (!lte) compressed += 1;
    const wordPos = compressed >> 8;
    const bitPos = ((compressed % 256) + 256) % 256;
    const word = await this.client.readContract({
      address: this.pool,
      abi: uniswapV3PoolAbi,
      functionName: "tickBitmap",
      args: [wordPos],
    });
    if (lte) {
      const masked = word & ((1n << BigInt(bitPos + 1)) - 1n);
      return masked !== 0n
        ? [(compressed - (bitPos - msb(masked))) * tickSpacing, true]
        : [(compressed - bitPos) * tickSpacing, false];
    }
    const masked = word & ~((1n << BigInt(bitPos)) - 1n);
    return masked !== 0n
      ? [(compressed + (lsb(masked) - bitPos)) * tickSpacing, true]
      : [(compressed + (255 - bitPos)) * tickSpacing, false];
  }
}
