import type { MainnetForkSource } from "../../src/chain/fork/connectMainnetFork.js";
import type { SnapshotReadCounts } from "../../src/chain/fork/serveMainnetSnapshot.js";

/**
 * Unrecorded reads in `after` that were not in `before`: their total, and one entry per subject (an address,
 * a block) with the methods that read it, most-read first, e.g. "0xcbcd…62ed ×12 (eth_getStorageAt)".
 */
export function unrecordedSince(
  after: SnapshotReadCounts,
  before: SnapshotReadCounts,
): { total: number; entries: string[] } {
  const bySubject = new Map<string, { count: number; methods: Set<string> }>();
  for (const [method, subjects] of Object.entries(after.unrecorded)) {
    for (const [subject, count] of Object.entries(subjects)) {
      const added = count - (before.unrecorded[method]?.[subject] ?? 0);
      if (added === 0) continue;
      const entry = bySubject.get(subject) ?? { count: 0, methods: new Set<string>() };
      entry.count += added;
      entry.methods.add(method);
      bySubject.set(subject, entry);
    }
  }
  const entries = [...bySubject].sort((a, b) => b[1].count - a[1].count);
  const short = (subject: string) =>
    /^0x[0-9a-f]{40}$/.test(subject) ? `${subject.slice(0, 6)}…${subject.slice(-4)}` : subject;
  return {
    total: entries.reduce((sum, [, e]) => sum + e.count, 0),
    entries: entries.map(([subject, e]) => `${short(subject)} ×${e.count} (${[...e.methods].join(", ")})`),
  };
}

/**
 * Mocha hooks for a suite on a mainnet fork: on the recorded snapshot, prints after each test how many reads it
 * made that the recording does not hold (answered as empty), and after the suite which RPC methods Hardhat's
 * forking asked the snapshot server for. Prints nothing against a real RPC.
 */
export function reportSnapshotReads(source: () => MainnetForkSource | undefined): void {
  let before: SnapshotReadCounts | undefined;
  const server = () => {
    const s = source();
    return s?.kind === "snapshot" ? s.server : undefined;
  };
  beforeEach(function () {
    before = server()?.counts();
  });
  afterEach(function () {
    const now = server()?.counts();
    if (now === undefined || before === undefined) return;
    const { total, entries } = unrecordedSince(now, before);
    const shown = entries.slice(0, 3).join("; ") + (entries.length > 3 ? `; ${entries.length - 3} more` : "");
    console.log(`        unrecorded reads: ${total}${total > 0 ? `: ${shown}` : ""}`);
  });
  after(function () {
    const now = server()?.counts();
    if (now === undefined) return;
    const methods = Object.entries(now.requests).map(([method, n]) => `${method} ×${n}`);
    console.log(`      RPC methods the fork asked the snapshot server for: ${methods.join(", ")}`);
  });
}
