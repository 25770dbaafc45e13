/**
 * A seeded pseudo-random source for differential and Monte Carlo tests, so a failure reproduces from its
 * seed. mulberry32: 32-bit state, fast, good enough for test inputs (not for anything secret).
 */
export class Random {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(pTrue = 0.5): boolean {
    return this.next() < pTrue;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Uniform bigint in [0, 2^bits). */
  bits(bits: number): bigint {
    let value = 0n;
    for (let filled = 0; filled < bits; filled += 32) {
      value = (value << 32n) | BigInt(Math.floor(this.next() * 4294967296));
    }
    return value & ((1n << BigInt(bits)) - 1n);
  }

  /** Bigint in [min, max], log-uniform in magnitude so tiny and huge values both appear often. */
  logUniform(min: bigint, max: bigint): bigint {
    const maxBits = max.toString(2).length;
    const minBits = min <= 0n ? 1 : min.toString(2).length;
    for (;;) {
      const value = this.bits(this.int(minBits, maxBits));
      if (value >= min && value <= max) return value;
    }
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = 0;
    while (u === 0) u = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }
}
