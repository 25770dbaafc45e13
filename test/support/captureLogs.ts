import type { DestinationStream } from "pino";

export interface CapturedLogs {
  destination: DestinationStream;
  /** Every line written, raw (JSON text, or pretty text in pretty mode). */
  lines: string[];
  /** The JSON lines parsed. */
  records(): Record<string, unknown>[];
}

/** A pino destination that keeps the lines in memory, to assert on what the keeper logs. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    lines,
    records: () => lines.flatMap((l) => l.split("\n").filter((x) => x.startsWith("{")).map((x) => JSON.parse(x) as Record<string, unknown>)),
  };
}
