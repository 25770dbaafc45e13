import { finite, InvalidAnalyticsInputError, positive } from "./errors.js";
import { SECONDS_PER_YEAR } from "./realisedVolatility.js";

/** Everything an EwmaVolatility remembers, as plain numbers: to store it and carry on after a restart. */
export interface EwmaVolatilityState {
  halfLifeSeconds: number;
  lastTimestamp: number | null;
  lastPrice: number;
  pending: number;
  rate: number | null;
  /** The samples' total weight, 1 − 2^(−span/halfLife); absent in states stored before it existed (then 1). */
  norm?: number;
  lastDt: number;
  lastSampleWeight: number;
}

/**
 * Exponentially weighted realised volatility, updated one price at a time, for a keeper that sees a price
 * each block or each swap. Observations may be irregular: a return over Δt counts as r²/Δt of variance
 * rate with weight 1 − 2^(−Δt/halfLife), so an hour of quiet fades the past as much as an hour of swaps.
 * Several moves at one timestamp (swaps in one block) all belong to the interval that ends there. The average
 * is normalised by the weights seen so far, so early on every second counts alike: a first interval of one quiet
 * second does not stand for the whole past (a keeper's first blocks).
 */
export class EwmaVolatility {
  readonly halfLifeSeconds: number;
  private lastTimestamp: number | null = null;
  private lastPrice = 0;
  private pending = 0;
  private rate: number | null = null;
  private norm = 0;
  /** The latest interval's length and the weight its sample got, to add same-timestamp moves to it. */
  private lastDt = 0;
  private lastSampleWeight = 1;

  constructor({ halfLifeSeconds }: { halfLifeSeconds: number }) {
    this.halfLifeSeconds = positive("halfLifeSeconds", halfLifeSeconds);
  }

  /** Adds the price at `timestamp` (seconds, not before the previous one). */
  update(timestamp: number, price: number): void {
    finite("timestamp", timestamp);
    positive("price", price);
    if (this.lastTimestamp === null) {
      [this.lastTimestamp, this.lastPrice] = [timestamp, price];
      return;
    }
    const dt = timestamp - this.lastTimestamp;
    if (dt < 0)
      throw new InvalidAnalyticsInputError(
        "timestamp",
        `a time at or after ${this.lastTimestamp}`,
        timestamp,
      );
    const r = Math.log(price / this.lastPrice);
    this.lastPrice = price;
    if (dt === 0) {
      if (this.rate === null) this.pending += r * r;
      else this.rate += (this.lastSampleWeight * r * r) / this.lastDt;
      return;
    }
    const sample = (this.pending + r * r) / dt;
    this.pending = 0;
    const weight = Math.pow(2, -dt / this.halfLifeSeconds);
    const norm = weight * this.norm + (1 - weight);
    this.lastSampleWeight = (1 - weight) / norm;
    this.rate = this.rate === null ? sample : (weight * this.norm * this.rate + (1 - weight) * sample) / norm;
    this.norm = norm;
    [this.lastTimestamp, this.lastDt] = [timestamp, dt];
  }

  /** The estimator's whole state; `EwmaVolatility.fromState` continues from it exactly. */
  state(): EwmaVolatilityState {
    return {
      halfLifeSeconds: this.halfLifeSeconds,
      lastTimestamp: this.lastTimestamp,
      lastPrice: this.lastPrice,
      pending: this.pending,
      rate: this.rate,
      norm: this.norm,
      lastDt: this.lastDt,
      lastSampleWeight: this.lastSampleWeight,
    };
  }

  static fromState(state: EwmaVolatilityState): EwmaVolatility {
    const ewma = new EwmaVolatility({ halfLifeSeconds: state.halfLifeSeconds });
    if (state.lastTimestamp !== null) {
      finite("state.lastTimestamp", state.lastTimestamp);
      positive("state.lastPrice", state.lastPrice);
    }
    ewma.lastTimestamp = state.lastTimestamp;
    ewma.lastPrice = state.lastPrice;
    ewma.pending = finite("state.pending", state.pending);
    ewma.rate = state.rate === null ? null : finite("state.rate", state.rate);
    ewma.norm = finite("state.norm", state.norm ?? (state.rate === null ? 0 : 1));
    ewma.lastDt = finite("state.lastDt", state.lastDt);
    ewma.lastSampleWeight = finite("state.lastSampleWeight", state.lastSampleWeight);
    return ewma;
  }

  /** Variance of ln P per second, or null before the first return. */
  get variancePerSecond(): number | null {
    return this.rate;
  }

  /** σ of ln P per `seconds` (default a year), or null before the first return. */
  volatility(seconds = SECONDS_PER_YEAR): number | null {
    return this.rate === null ? null : Math.sqrt(this.rate * seconds);
  }
}
