import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { connectUniswap } from "../../src/chain/connectUniswap.js";
import { ForkNotConfiguredError } from "../../src/chain/fork/connectMainnetFork.js";
import { preflightRpc, redactUrl, RpcUnreachableError } from "../../src/chain/fork/preflightRpc.js";

async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return (server.address() as AddressInfo).port;
}

/** A loopback port that refuses connections: bound once, then released. */
async function refusedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("mainnet fork preflight", function () {
  const saved = { url: process.env.MAINNET_RPC_URL, data: process.env.RANGEKEEPER_DATA };
  afterEach(() => {
    if (saved.url === undefined) delete process.env.MAINNET_RPC_URL;
    else process.env.MAINNET_RPC_URL = saved.url;
    if (saved.data === undefined) delete process.env.RANGEKEEPER_DATA;
    else process.env.RANGEKEEPER_DATA = saved.data;
  });

  it("refuses a fork target with neither MAINNET_RPC_URL nor the recorded data, saying what to set", async function () {
    delete process.env.MAINNET_RPC_URL;
    const empty = mkdtempSync(join(tmpdir(), "rangekeeper-no-data-"));
    process.env.RANGEKEEPER_DATA = empty;
    try {
      const err = await connectUniswap(network, "fork").catch((e: unknown) => e);
      expect(err).to.be.instanceOf(ForkNotConfiguredError);
      expect((err as Error).message)
        .to.include("MAINNET_RPC_URL")
        .and.include(join(empty, "mainnet-wbtc-weth-03-state-replay", "pool_state_block16944668.json"));
    } finally {
      rmSync(empty, { recursive: true });
    }
  });

  it("fails within 10 s with a clear message when the RPC refuses connections", async function () {
    const port = await refusedPort();
    process.env.MAINNET_RPC_URL = `http://127.0.0.1:${port}/v2/secret-api-key`;
    const started = Date.now();
    const err = await connectUniswap(network, "fork").catch((e: unknown) => e);
    expect(Date.now() - started).to.be.lessThan(10_000);
    expect(err).to.be.instanceOf(RpcUnreachableError);
    expect((err as Error).message)
      .to.include("ECONNREFUSED")
      .and.include(`127.0.0.1:${port}`);
    expect((err as Error).message).not.to.include("secret-api-key");
  });

  it("gives up on an RPC that accepts connections but never answers", async function () {
    const sockets = new Set<import("node:net").Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    const port = await listen(silent);
    try {
      const started = Date.now();
      const err = await preflightRpc({ url: `http://127.0.0.1:${port}`, timeoutMs: 1_000 }).catch(
        (e: unknown) => e,
      );
      expect(Date.now() - started).to.be.within(900, 5_000);
      expect(err).to.be.instanceOf(RpcUnreachableError);
      expect((err as Error).message).to.include("no answer within 1 s");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("keeps API keys out of messages: only scheme, host and port are shown", function () {
    expect(redactUrl("https://user:pw@eth-mainnet.g.alchemy.com/v2/KEY?x=1")).to.equal(
      "https://eth-mainnet.g.alchemy.com/…",
    );
    expect(redactUrl("not a url")).to.equal("<not a URL>");
  });
});
