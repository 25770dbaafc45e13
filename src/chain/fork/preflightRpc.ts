export class RpcUnreachableError extends Error {
  constructor(variable: string, url: string, reason: string) {
    super(
      `${variable} (${redactUrl(url)}) did not answer eth_chainId: ${reason}. ` +
        `Check the URL and your network, or unset ${variable} to run on the in-process mirror instead.`,
    );
    this.name = "RpcUnreachableError";
  }
}

export class WrongChainError extends Error {
  constructor(variable: string, url: string, chainId: number, expected: number) {
    super(
      `${variable} (${redactUrl(url)}) serves chain id ${chainId}, expected ${expected} (Ethereum mainnet)`,
    );
    this.name = "WrongChainError";
  }
}

/** Scheme, host and port only: RPC providers put API keys in the path, query or user info. */
export function redactUrl(url: string): string {
  try {
    const { protocol, host } = new URL(url);
    return `${protocol}//${host}/…`;
  } catch {
    return "<not a URL>";
  }
}

export interface PreflightRpcParameters {
  url: string;
  /** Name of the setting the URL came from, for the error message. */
  variable?: string;
  expectedChainId?: number;
  timeoutMs?: number;
}

/**
 * Asks the RPC for its chain id with a short timeout. Hardhat's forking retries an unreachable URL for
 * about a minute and hangs on a server that accepts but never answers; this fails in seconds instead.
 */
export async function preflightRpc({
  url,
  variable = "MAINNET_RPC_URL",
  expectedChainId = 1,
  timeoutMs = 5_000,
}: PreflightRpcParameters): Promise<void> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    const reason =
      (error as Error).name === "TimeoutError"
        ? `no answer within ${timeoutMs / 1000} s`
        : (cause ?? (error as Error).message);
    throw new RpcUnreachableError(variable, url, reason);
  }
  if (!response.ok) throw new RpcUnreachableError(variable, url, `HTTP ${response.status}`);
  const body = (await response.json().catch(() => ({}))) as { result?: string };
  if (typeof body.result !== "string")
    throw new RpcUnreachableError(variable, url, "the answer was not JSON-RPC");
  const chainId = Number(BigInt(body.result));
  if (chainId !== expectedChainId) throw new WrongChainError(variable, url, chainId, expectedChainId);
}
