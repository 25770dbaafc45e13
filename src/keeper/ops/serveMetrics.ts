import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

import type { KeeperMetrics } from "./createKeeperMetrics.js";

export interface Health {
  ok: boolean;
  [detail: string]: unknown;
}

export interface ServeMetricsParameters {
  /** Only loopback is accepted: the endpoint is for a local Prometheus agent or an SSH tunnel. */
  host?: "127.0.0.1";
  /** 0 picks a free port. */
  port: number;
  /** /health answers 200 with this when `ok`, 503 otherwise. */
  health: () => Health;
}

export interface MetricsServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export class MetricsHostNotLoopbackError extends Error {
  constructor(host: string) {
    super(`metrics.host must be 127.0.0.1 (got ${host}): the keeper serves metrics on loopback only`);
    this.name = "MetricsHostNotLoopbackError";
  }
}

/** Serves GET /metrics (Prometheus text format) and GET /health (JSON) on 127.0.0.1. */
export async function serveMetrics(
  metrics: KeeperMetrics,
  { host = "127.0.0.1", port, health }: ServeMetricsParameters,
): Promise<MetricsServer> {
  if (host !== "127.0.0.1") throw new MetricsHostNotLoopbackError(host);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET") {
      res.writeHead(405, { allow: "GET" }).end();
    } else if (path === "/metrics") {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { "content-type": metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else if (path === "/health") {
      const body = health();
      res
        .writeHead(body.ok ? 200 : 503, { "content-type": "application/json" })
        .end(JSON.stringify(body, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)));
    } else {
      res.writeHead(404, { "content-type": "text/plain" }).end("not found: try /metrics or /health\n");
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
