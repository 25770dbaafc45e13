import { InvalidPoolInputError, PoolRevertError } from "./errors.js";

export interface Observation {
  /** uint32 seconds, wrapping as block.timestamp does in the contract. */
  blockTimestamp: number;
  /** int56 running sum of the tick over time. */
  tickCumulative: bigint;
  /** uint160 running sum of seconds / max(1, active liquidity), Q128. */
  secondsPerLiquidityCumulativeX128: bigint;
  initialized: boolean;
}

export interface OracleState {
  observations: readonly Observation[];
  observationIndex: number;
  observationCardinality: number;
  observationCardinalityNext: number;
}

export interface Cumulatives {
  tickCumulative: bigint;
  secondsPerLiquidityCumulativeX128: bigint;
}

const EMPTY: Observation = {
  blockTimestamp: 0,
  tickCumulative: 0n,
  secondsPerLiquidityCumulativeX128: 0n,
  initialized: false,
};

function transform(last: Observation, time: number, tick: number, liquidity: bigint): Observation {
  const delta = (time - last.blockTimestamp) >>> 0;
  return {
    blockTimestamp: time,
    tickCumulative: BigInt.asIntN(56, last.tickCumulative + BigInt(tick) * BigInt(delta)),
    secondsPerLiquidityCumulativeX128: BigInt.asUintN(
      160,
      last.secondsPerLiquidityCumulativeX128 + (BigInt(delta) << 128n) / (liquidity > 0n ? liquidity : 1n),
    ),
    initialized: true,
  };
}

/** Oracle.lte: a <= b for timestamps that may have wrapped around 2^32, both at or before `time`. */
function lte(time: number, a: number, b: number): boolean {
  if (a <= time && b <= time) return a <= b;
  const aAdjusted = a > time ? a : a + 2 ** 32;
  const bAdjusted = b > time ? b : b + 2 ** 32;
  return aAdjusted <= bAdjusted;
}

/**
 * Oracle.sol: the pool's ring buffer of observations with the slot0 fields that index it. Writes happen at
 * most once per block timestamp, and the buffer grows only when the write wraps onto a slot that
 * `grow` has prepared, exactly as in the contract, so TWAPs read here equal the pool's.
 */
export class Oracle {
  private readonly observations: Observation[];
  observationIndex: number;
  observationCardinality: number;
  observationCardinalityNext: number;

  constructor(state: OracleState) {
    const { observationIndex, observationCardinality, observationCardinalityNext } = state;
    if (
      !Number.isInteger(observationCardinality) ||
      observationCardinality < 1 ||
      observationCardinality > 65535
    )
      throw new InvalidPoolInputError(
        "observationCardinality",
        "an integer in [1, 65535]",
        observationCardinality,
      );
    if (
      !Number.isInteger(observationCardinalityNext) ||
      observationCardinalityNext < observationCardinality ||
      observationCardinalityNext > 65535
    )
      throw new InvalidPoolInputError(
        "observationCardinalityNext",
        `an integer in [observationCardinality (${observationCardinality}), 65535]`,
        observationCardinalityNext,
      );
    if (
      !Number.isInteger(observationIndex) ||
      observationIndex < 0 ||
      observationIndex >= observationCardinality
    )
      throw new InvalidPoolInputError(
        "observationIndex",
        `an integer in [0, observationCardinality (${observationCardinality}))`,
        observationIndex,
      );
    if (state.observations[observationIndex]?.initialized !== true)
      throw new InvalidPoolInputError(
        `observations[${observationIndex}]`,
        "the initialised latest observation (observationIndex points at it)",
        state.observations[observationIndex],
      );
    this.observations = state.observations.map((o) => ({ ...o }));
    this.observationIndex = observationIndex;
    this.observationCardinality = observationCardinality;
    this.observationCardinalityNext = observationCardinalityNext;
  }

  /** Oracle.initialize: a new pool's buffer, one observation at `time`. */
  static initialize(time: number): Oracle {
    return new Oracle({
      observations: [
        {
          blockTimestamp: time,
          tickCumulative: 0n,
          secondsPerLiquidityCumulativeX128: 0n,
          initialized: true,
        },
      ],
      observationIndex: 0,
      observationCardinality: 1,
      observationCardinalityNext: 1,
    });
  }

  at(index: number): Observation {
    return this.observations[index] ?? EMPTY;
  }

  /** Copies of the slots in use (up to observationCardinalityNext), for snapshots. */
  state(): OracleState {
    const observations: Observation[] = [];
    for (let i = 0; i < this.observationCardinalityNext; i++) observations.push({ ...this.at(i) });
    return {
      observations,
      observationIndex: this.observationIndex,
      observationCardinality: this.observationCardinality,
      observationCardinalityNext: this.observationCardinalityNext,
    };
  }

  /** Oracle.write: records the tick and liquidity that held until `time`, once per timestamp. */
  write(time: number, tick: number, liquidity: bigint): void {
    const last = this.at(this.observationIndex);
    if (last.blockTimestamp === time) return;
    const cardinality =
      this.observationCardinalityNext > this.observationCardinality &&
      this.observationIndex === this.observationCardinality - 1
        ? this.observationCardinalityNext
        : this.observationCardinality;
    const index = (this.observationIndex + 1) % cardinality;
    this.observations[index] = transform(last, time, tick, liquidity);
    this.observationIndex = index;
    this.observationCardinality = cardinality;
  }

  /** increaseObservationCardinalityNext: prepares slots (timestamp 1, not initialised) up to `next`. */
  grow(next: number): void {
    if (!Number.isInteger(next) || next < 0 || next > 65535)
      throw new InvalidPoolInputError("observationCardinalityNext", "an integer in [0, 65535]", next);
    if (next <= this.observationCardinalityNext) return;
    for (let i = this.observationCardinalityNext; i < next; i++) {
      this.observations[i] = { ...this.at(i), blockTimestamp: 1 };
    }
    this.observationCardinalityNext = next;
  }

  private binarySearch(time: number, target: number): [Observation, Observation] {
    const cardinality = this.observationCardinality;
    let l = (this.observationIndex + 1) % cardinality;
    let r = l + cardinality - 1;
    for (;;) {
      const i = Math.floor((l + r) / 2);
      const beforeOrAt = this.at(i % cardinality);
      if (!beforeOrAt.initialized) {
        l = i + 1;
        continue;
      }
      const atOrAfter = this.at((i + 1) % cardinality);
      const targetAtOrAfter = lte(time, beforeOrAt.blockTimestamp, target);
      if (targetAtOrAfter && lte(time, target, atOrAfter.blockTimestamp)) return [beforeOrAt, atOrAfter];
      if (!targetAtOrAfter) r = i - 1;
      else l = i + 1;
    }
  }

  private surroundingObservations(
    time: number,
    target: number,
    tick: number,
    liquidity: bigint,
  ): [Observation, Observation] {
    let beforeOrAt = this.at(this.observationIndex);
    if (lte(time, beforeOrAt.blockTimestamp, target)) {
      return beforeOrAt.blockTimestamp === target
        ? [beforeOrAt, EMPTY]
        : [beforeOrAt, transform(beforeOrAt, target, tick, liquidity)];
    }
    beforeOrAt = this.at((this.observationIndex + 1) % this.observationCardinality);
    if (!beforeOrAt.initialized) beforeOrAt = this.at(0);
    if (!lte(time, beforeOrAt.blockTimestamp, target)) {
      throw new PoolRevertError(
        "OLD",
        `no observation as old as ${target} (oldest ${beforeOrAt.blockTimestamp})`,
      );
    }
    return this.binarySearch(time, target);
  }

  /** Oracle.observeSingle: the cumulatives `secondsAgo` before `time`, interpolated between observations. */
  observeSingle(time: number, secondsAgo: number, tick: number, liquidity: bigint): Cumulatives {
    if (secondsAgo === 0) {
      let last = this.at(this.observationIndex);
      if (last.blockTimestamp !== time) last = transform(last, time, tick, liquidity);
      return {
        tickCumulative: last.tickCumulative,
        secondsPerLiquidityCumulativeX128: last.secondsPerLiquidityCumulativeX128,
      };
    }
    const target = (time - secondsAgo) >>> 0;
    const [beforeOrAt, atOrAfter] = this.surroundingObservations(time, target, tick, liquidity);
    if (target === beforeOrAt.blockTimestamp) {
      return {
        tickCumulative: beforeOrAt.tickCumulative,
        secondsPerLiquidityCumulativeX128: beforeOrAt.secondsPerLiquidityCumulativeX128,
      };
    }
    if (target === atOrAfter.blockTimestamp) {
      return {
        tickCumulative: atOrAfter.tickCumulative,
        secondsPerLiquidityCumulativeX128: atOrAfter.secondsPerLiquidityCumulativeX128,
      };
    }
    const observationTimeDelta = BigInt((atOrAfter.blockTimestamp - beforeOrAt.blockTimestamp) >>> 0);
    const targetDelta = BigInt((target - beforeOrAt.blockTimestamp) >>> 0);
    return {
      tickCumulative: BigInt.asIntN(
        56,
        beforeOrAt.tickCumulative +
          ((atOrAfter.tickCumulative - beforeOrAt.tickCumulative) / observationTimeDelta) * targetDelta,
      ),
      secondsPerLiquidityCumulativeX128: BigInt.asUintN(
        160,
        beforeOrAt.secondsPerLiquidityCumulativeX128 +
          (BigInt.asUintN(
            160,
            atOrAfter.secondsPerLiquidityCumulativeX128 - beforeOrAt.secondsPerLiquidityCumulativeX128,
          ) *
            targetDelta) /
            observationTimeDelta,
      ),
    };
  }

  /** Oracle.observe: observeSingle for each of `secondsAgos`. */
  observe(time: number, secondsAgos: readonly number[], tick: number, liquidity: bigint) {
    return secondsAgos.map((secondsAgo) => this.observeSingle(time, secondsAgo, tick, liquidity));
  }
}
