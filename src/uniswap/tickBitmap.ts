import { PoolRevertError } from "./errors.js";

/**
 * The pool's tick bitmap: which ticks (multiples of the spacing) are initialised. Kept as a sorted array of
 * compressed ticks rather than 256-bit words because a binary search over numbers is much faster than bit
 * scans on bigints; `nextInitializedTickWithinOneWord` still answers exactly as TickBitmap.sol does, stopping
 * at the edge of the current 256-tick word, and `word` rebuilds a word to compare with the contract's.
 */
export class TickBitmap {
  readonly tickSpacing: number;
  private readonly compressed: number[] = [];

  constructor(tickSpacing: number, initializedTicks: Iterable<number> = []) {
    this.tickSpacing = tickSpacing;
    for (const tick of initializedTicks) {
      if (!this.isInitialized(tick)) this.flipTick(tick);
    }
  }

  /** Index of the first compressed tick >= c. */
  private lowerBound(c: number): number {
    const list = this.compressed;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid]! < c) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  isInitialized(tick: number): boolean {
    if (tick % this.tickSpacing !== 0) return false;
    const c = tick / this.tickSpacing;
    return this.compressed[this.lowerBound(c)] === c;
  }

  flipTick(tick: number): void {
    if (tick % this.tickSpacing !== 0) {
      throw new PoolRevertError("tick spacing", `tick ${tick} is not a multiple of ${this.tickSpacing}`);
    }
    const c = tick / this.tickSpacing;
    const i = this.lowerBound(c);
    if (this.compressed[i] === c) this.compressed.splice(i, 1);
    else this.compressed.splice(i, 0, c);
  }

  /**
   * The next initialised tick at or below `tick` (lte) or above it, looking no further than the 256-tick word
   * that holds the starting point; when none is found, the word's edge with `initialized` false.
   */
  nextInitializedTickWithinOneWord(tick: number, lte: boolean): [next: number, initialized: boolean] {
    const spacing = this.tickSpacing;
    const compressed = Math.floor(tick / spacing);
    const list = this.compressed;
    if (lte) {
      const wordStart = (compressed >> 8) << 8;
      const i = this.lowerBound(compressed + 1) - 1;
      const c = i >= 0 ? list[i]! : -Infinity;
      return c >= wordStart ? [c * spacing, true] : [wordStart * spacing, false];
    }
    const from = compressed + 1;
    const wordEnd = ((from >> 8) << 8) + 255;
    const c = list[this.lowerBound(from)];
    return c !== undefined && c <= wordEnd ? [c * spacing, true] : [wordEnd * spacing, false];
  }

  /** The 256-bit word at `wordPos` exactly as the contract's `tickBitmap(wordPos)` returns it. */
  word(wordPos: number): bigint {
    let word = 0n;
    for (let i = this.lowerBound(wordPos * 256); i < this.compressed.length; i++) {
      const c = this.compressed[i]!;
      if (c >> 8 !== wordPos) break;
      word |= 1n << BigInt(c - wordPos * 256);
    }
    return word;
  }

  /** Every initialised tick, ascending. */
  ticks(): number[] {
    return this.compressed.map((c) => c * this.tickSpacing);
  }
}
