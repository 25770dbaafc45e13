import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FlakyRpcProxyOptions {
  /** Where healthy requests go (a loopback JSON-RPC endpoint). */
  upstream: string;
  /** Shares of requests (0–1) that are dropped (connection destroyed, no answer), delayed, or answered with an error. */
  drop: number;
  delay: number;
  error: number;
  /** Delay of a delayed request, longer than the client's timeout so it times out. */
  delayMs: number;
  /** Seed of the fault sequence, so a failing run can be replayed. */
  seed: number;
}

export interface FlakyRpcProxy {
  url: string;
  injected: { dropped: number; delayed: number; errored: number; forwarded: number };
  /** Turns faults on or off (off: a plain forwarder). */
  setFaulty(on: boolean): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded generator, so the same seed injects the same faults. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fault-injecting JSON-RPC proxy on 127.0.0.1 in front of a loopback endpoint: each request is, by a
 * seeded draw, dropped (socket destroyed), delayed past the client's timeout, answered with a JSON-RPC
 * error (-32603) or an HTTP 503, or forwarded untouched.
 */
export async function startFlakyRpcProxy(options: FlakyRpcProxyOptions): Promise<FlakyRpcProxy> {
  const next = random(options.seed);
  const injected = { dropped: 0, delayed: 0, errored: 0, forwarded: 0 };
  let faulty = true;
  const timers = new Set<NodeJS.Timeout>();
  const forward = (body: Buffer, res: ServerResponse) => {
    injected.forwarded++;
    const upstream = httpRequest(
      options.upstream,
      { method: "POST", headers: { "content-type": "application/json" } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { "content-type": "application/json" });
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    upstream.end(body);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const draw = next();
      if (!faulty || draw >= options.drop + options.delay + options.error) return forward(body, res);
      if (draw < options.drop) {
        injected.dropped++;
        return res.destroy();
      }
      if (draw < options.drop + options.delay) {
        injected.delayed++;
        const timer = setTimeout(() => {
          timers.delete(timer);
          forward(body, res);
        }, options.delayMs);
        timers.add(timer);
        return;
      }
      injected.errored++;
      if (next() < 0.5) return res.writeHead(503).end("injected outage");
      let id: unknown = null;
      try {
        id = (JSON.parse(body.toString()) as { id?: unknown }).id ?? null;
      } catch {
        // an unparsable body still gets an error answer
      }
      res
        .writeHead(200, { "content-type": "application/json" })
        .end(
          JSON.stringify({ jsonrpc: "2.0", id, error: { code: -32603, message: "injected internal error" } }),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    injected,
    setFaulty: (on) => {
      faulty = on;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
