import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Anything with EIP-1193's `request`: a Hardhat connection's provider, or a recorded-state backend. */
export interface JsonRpcBackend {
  request(args: { method: string; params?: unknown[] }): Promise<unknown>;
}

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: string | number | null;
  method?: unknown;
  params?: unknown;
}

export interface JsonRpcServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export interface ServeJsonRpcParameters {
  /** 0 picks a free port. */
  port?: number;
  /** Called once per request, e.g. to log or count methods. */
  onRequest?: (method: string) => void;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error(`request body over ${MAX_BODY_BYTES} bytes`));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

async function answer(backend: JsonRpcBackend, call: JsonRpcRequest, onRequest?: (method: string) => void) {
  const id = call.id ?? null;
  if (typeof call.method !== "string") {
    return {
      jsonrpc: "2.0",
      id,
      error: { code: -32600, message: "Invalid request: method must be a string" },
    };
  }
  onRequest?.(call.method);
  try {
    const params = Array.isArray(call.params) ? call.params : [];
    return { jsonrpc: "2.0", id, result: await backend.request({ method: call.method, params }) };
  } catch (error) {
    const { code, message, data } = error as { code?: number; message?: string; data?: unknown };
    return {
      jsonrpc: "2.0",
      id,
      error: { code: typeof code === "number" ? code : -32603, message: message ?? String(error), data },
    };
  }
}

/**
 * Serves a backend as an HTTP JSON-RPC endpoint on 127.0.0.1 only (never another interface), with batch
 * support, so other processes (a keeper, viem scripts, Hardhat's forking) can attach to it.
 */
export async function serveJsonRpc(
  backend: JsonRpcBackend,
  { port = 0, onRequest }: ServeJsonRpcParameters = {},
): Promise<JsonRpcServer> {
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== "POST") {
      res.writeHead(405, { allow: "POST" }).end();
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch {
      res.writeHead(400, { "content-type": "application/json" });
      res.end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }));
      return;
    }
    const reply = Array.isArray(body)
      ? await Promise.all(body.map((call: JsonRpcRequest) => answer(backend, call, onRequest)))
      : await answer(backend, body as JsonRpcRequest, onRequest);
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify(reply, (_key, value: unknown) =>
        typeof value === "bigint" ? `0x${value.toString(16)}` : value,
      ),
    );
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", resolve);
  });
  const actualPort = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actualPort}`,
    port: actualPort,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
