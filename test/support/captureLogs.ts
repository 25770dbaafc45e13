import { Writable } from "node:stream";

export interface CapturedLogs {
  /** A real stream, as pino-pretty needs one; writes land synchronously. */
  destination: Writable;
  /** Every chunk written, raw (JSON text, or pretty text in pretty mode). */
  lines: string[];
  /** The JSON lines parsed. */
  records(): Record<string, unknown>[];
}

/** A log destination that keeps what is written in memory, to assert on what the keeper logs. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  return {
    destination: new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
    lines,
    records: () =>
      lines.flatMap((l) =>
        l
          .split("\n")
          .filter((x) => x.startsWith("{"))
          .map((x) => JSON.parse(x) as Record<string, unknown>),
      ),
  };
}
