import type { PoolStateFile } from "../data/poolStateFile.js";
import type { PoolState, TickState } from "./poolState.js";

/**
 * The simulator's starting state from a recorded state file (`pool_state_block*.json`, read by
 * readPoolStateFile): ticks, positions, protocol fees and the oracle as recorded.
 *
 * Two fields are not taken from the file: the protocol-fee switch is off (the recordings' `feeProtocol` is not
 * a valid setting, and their protocol fees never grow), and the state's time is its newest observation's,
 * the last moment the recording proves the pool was written at.
 */
export function poolStateFromFile(file: PoolStateFile): PoolState {
  const ticks = new Map<number, TickState>();
  for (const [tick, record] of file.ticks) {
    if (!record.initialized) continue;
    ticks.set(tick, {
      liquidityGross: record.liquidityGross,
      liquidityNet: record.liquidityNet,
      feeGrowthOutside0X128: record.feeGrowthOutside0X128,
      feeGrowthOutside1X128: record.feeGrowthOutside1X128,
      tickCumulativeOutside: record.tickCumulativeOutside,
      secondsPerLiquidityOutsideX128: record.secondsPerLiquidityOutsideX128,
      secondsOutside: record.secondsOutside,
    });
  }
  const { observationIndex, observationCardinality } = file.slot0;
  const newest = file.observations[observationIndex];
  return {
    fee: file.fee,
    tickSpacing: file.tickSpacing,
    sqrtPriceX96: file.slot0.sqrtPriceX96,
    tick: file.slot0.tick,
    liquidity: file.liquidity,
    feeGrowthGlobal0X128: file.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: file.feeGrowthGlobal1X128,
    ticks,
    feeProtocol: 0,
    protocolFees: file.protocolFees,
    oracle: {
      observations: file.observations.map(
        ({ blockTimestamp, tickCumulative, secondsPerLiquidityCumulativeX128, initialized }) => ({
          blockTimestamp,
          tickCumulative,
          secondsPerLiquidityCumulativeX128,
          initialized,
        }),
      ),
      observationIndex,
      observationCardinality,
      observationCardinalityNext: observationCardinality,
    },
    positions: file.positions,
    ...(newest === undefined ? {} : { blockTimestamp: newest.blockTimestamp }),
  };
}
