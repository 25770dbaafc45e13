import { encodePacked, keccak256, type Address, type PublicClient } from "viem";

import type { Observation } from "../uniswap/oracle.js";
import type { PoolState, PositionState, TickState } from "../uniswap/poolState.js";
import { uniswapV3PoolAbi } from "./abi/uniswap.js";

export interface ReadPoolStateParameters {
  pool: Address;
  /** Bitmap words read on each side of the current tick's word (256 tick spacings each). Default 2. */
  words?: number;
  /** Read the oracle's observations too (one call per slot in use). Default false: a fresh oracle. */
  observations?: boolean;
  /** Positions to read, e.g. a vault's; their fees owed then come out of the simulator exactly. */
  positions?: readonly { owner: Address; tickLower: number; tickUpper: number }[];
  /** Block to read at (default: the latest), so that every read sees the same state. */
  blockNumber?: bigint;
}

export interface ReadPoolStateReturnType {
  state: PoolState & { ticks: Map<number, TickState>; positions: PositionState[] };
  blockNumber: bigint;
  /**
   * The ticks whose initialised ticks were all read: [first tick of the lowest word, last tick of the
   * highest]. A simulated swap that leaves this interval meets no initialised tick beyond it.
   */
  coveredTicks: { lower: number; upper: number };
}

/**
 * Reads a live pool's state through viem into the plain PoolState a PoolSimulator starts from: slot0,
 * active liquidity, fee growth, protocol fees, and every initialised tick found in the tick bitmap within
 * `words` words of the current tick (optionally the oracle's observations and chosen positions).
 */
export async function readPoolState(
  client: PublicClient,
  { pool, words = 2, observations = false, positions = [], blockNumber }: ReadPoolStateParameters,
): Promise<ReadPoolStateReturnType> {
  const at = blockNumber ?? (await client.getBlockNumber());
  const read = <const F extends string>(functionName: F, args: readonly unknown[] = []) =>
    client.readContract({
      address: pool,
      abi: uniswapV3PoolAbi,
      functionName,
      args,
      blockNumber: at,
    } as never) as Promise<unknown>;

  const [
    slot0,
    liquidity,
    fee,
    tickSpacing,
    feeGrowthGlobal0X128,
    feeGrowthGlobal1X128,
    protocolFees,
    block,
  ] = (await Promise.all([
    read("slot0"),
    read("liquidity"),
    read("fee"),
    read("tickSpacing"),
    read("feeGrowthGlobal0X128"),
    read("feeGrowthGlobal1X128"),
    read("protocolFees"),
    client.getBlock({ blockNumber: at }),
  ])) as [
    readonly [bigint, number, number, number, number, number, boolean],
    bigint,
    number,
    number,
    bigint,
    bigint,
    readonly [bigint, bigint],
    { timestamp: bigint },
  ];
  const [
    sqrtPriceX96,
    tick,
    observationIndex,
    observationCardinality,
    observationCardinalityNext,
    feeProtocol,
  ] = slot0;

  const centre = Math.floor(tick / tickSpacing) >> 8;
  const wordPositions = Array.from({ length: 2 * words + 1 }, (_, i) => centre - words + i);
  const bitmap = (await Promise.all(wordPositions.map((w) => read("tickBitmap", [w])))) as bigint[];
  const initialized: number[] = [];
  wordPositions.forEach((wordPos, i) => {
    for (let bit = 0, word = bitmap[i]!; word !== 0n; bit++, word >>= 1n) {
      if (word & 1n) initialized.push((wordPos * 256 + bit) * tickSpacing);
    }
  });
  const tickInfos = (await Promise.all(initialized.map((t) => read("ticks", [t])))) as (readonly [
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    bigint,
    number,
    boolean,
  ])[];
  const ticks = new Map<number, TickState>();
  initialized.forEach((t, i) => {
    const [
      liquidityGross,
      liquidityNet,
      outside0,
      outside1,
      tickCumulativeOutside,
      secondsPerLiquidity,
      secondsOutside,
    ] = tickInfos[i]!;
    ticks.set(t, {
      liquidityGross,
      liquidityNet,
      feeGrowthOutside0X128: outside0,
      feeGrowthOutside1X128: outside1,
      tickCumulativeOutside,
      secondsPerLiquidityOutsideX128: secondsPerLiquidity,
      secondsOutside,
    });
  });

  let oracle: PoolState["oracle"];
  if (observations) {
    const slots = (await Promise.all(
      Array.from({ length: observationCardinalityNext }, (_, i) => read("observations", [BigInt(i)])),
    )) as (readonly [number, bigint, bigint, boolean])[];
    oracle = {
      observations: slots.map(
        ([
          blockTimestamp,
          tickCumulative,
          secondsPerLiquidityCumulativeX128,
          isInitialized,
        ]): Observation => ({
          blockTimestamp,
          tickCumulative,
          secondsPerLiquidityCumulativeX128,
          initialized: isInitialized,
        }),
      ),
      observationIndex,
      observationCardinality,
      observationCardinalityNext,
    };
  }

  const positionStates = await Promise.all(
    positions.map(async ({ owner, tickLower, tickUpper }): Promise<PositionState> => {
      const key = keccak256(encodePacked(["address", "int24", "int24"], [owner, tickLower, tickUpper]));
      const [positionLiquidity, inside0, inside1, tokensOwed0, tokensOwed1] = (await read("positions", [
        key,
      ])) as readonly [bigint, bigint, bigint, bigint, bigint];
      return {
        owner,
        tickLower,
        tickUpper,
        liquidity: positionLiquidity,
        feeGrowthInside0LastX128: inside0,
        feeGrowthInside1LastX128: inside1,
        tokensOwed0,
        tokensOwed1,
      };
    }),
  );

  return {
    state: {
      fee,
      tickSpacing,
      sqrtPriceX96,
      tick,
      liquidity,
      feeGrowthGlobal0X128,
      feeGrowthGlobal1X128,
      ticks,
      feeProtocol,
      protocolFees: { token0: protocolFees[0], token1: protocolFees[1] },
      ...(oracle === undefined ? {} : { oracle }),
      positions: positionStates,
      blockTimestamp: Number(block.timestamp),
    },
    blockNumber: at,
    coveredTicks: {
      lower: wordPositions[0]! * 256 * tickSpacing,
      upper: (wordPositions.at(-1)! * 256 + 255) * tickSpacing,
    },
  };
}
