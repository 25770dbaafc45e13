import type { Transport } from "viem";

/** JSON-RPC requests seen by a counting transport: totals and per method, failures apart. */
export interface RequestCounter {
  total: number;
  errors: number;
  byMethod: Map<string, number>;
  /** Called on every request and failure, e.g. to feed Prometheus counters. */
  listeners: Array<(event: { method: string; failed: boolean }) => void>;
}

export function createRequestCounter(): RequestCounter {
  return { total: 0, errors: 0, byMethod: new Map(), listeners: [] };
}

/**
 * Wraps a transport so every JSON-RPC request through it (each retry and each fallback attempt included,
 * when wrapped around the per-URL transports) is counted: what the provider bills and what
 * requests-per-block figures measure.
 */
export function countRequests<T extends Transport>(transport: T, counter: RequestCounter): T {
  const counted: Transport = (parameters) => {
    const inner = transport(parameters);
    return {
      ...inner,
      request: (async (args: { method: string; params?: unknown }, options?: unknown) => {
        counter.total++;
        counter.byMethod.set(args.method, (counter.byMethod.get(args.method) ?? 0) + 1);
        for (const listener of counter.listeners) listener({ method: args.method, failed: false });
        try {
          return await (inner.request as (a: unknown, o?: unknown) => Promise<unknown>)(args, options);
        } catch (error) {
          counter.errors++;
          for (const listener of counter.listeners) listener({ method: args.method, failed: true });
          throw error;
        }
      }) as typeof inner.request,
    };
  };
  return counted as T;
}
