import type { Writable } from "node:stream";

import { pino, type DestinationStream, type Logger } from "pino";
import pretty from "pino-pretty";

import { createSecretScrubber } from "./scrubSecrets.js";

export type KeeperLogger = Logger;

export interface CreateLoggerParameters {
  level?: string;
  /** Human-readable lines for a terminal instead of JSON (one JSON object per line). */
  pretty?: boolean;
  /** Strings never to be written (RPC URLs with keys, passwords): replaced in every line, whatever field holds them. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. A stream (pino-pretty pipes into it). */
  destination?: DestinationStream & Writable;
}

/**
 * The keeper's structured logger. Redaction happens on the finished line, so a secret is caught even when
 * it hides inside an error message from a library (viem puts the RPC URL in its HTTP errors).
 */
export function createLogger({
  level = "info",
  pretty: prettyMode = false,
  secrets = [],
  destination,
}: CreateLoggerParameters = {}): KeeperLogger {
  const scrub = createSecretScrubber(secrets);
  const stream = prettyMode
    ? pretty({
        sync: true,
        destination: destination ?? 1,
        colorize: destination === undefined && process.stdout.isTTY,
      })
    : (destination ?? pino.destination({ sync: true }));
  return pino(
    {
      level,
      base: { name: "keeper" },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
      hooks: { streamWrite: scrub },
    },
    stream,
  );
}
