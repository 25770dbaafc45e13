import { expect } from "chai";

import { createKeeperMetrics, observeMeasurements } from "../../src/keeper/ops/createKeeperMetrics.js";
import { createLogger } from "../../src/keeper/ops/createLogger.js";
import { MetricsHostNotLoopbackError, serveMetrics } from "../../src/keeper/ops/serveMetrics.js";
import { createRequestCounter } from "../../src/keeper/rpc/countRequests.js";
import { captureLogs } from "../support/captureLogs.js";

const SECRET_URL = "https://eth-mainnet.example/v2/sk_live_SECRET123456";

describe("keeper operations", function () {
  it("serves /metrics with the per-vault gauges and RPC counters, and /health, on 127.0.0.1 only", async function () {
    const counter = createRequestCounter();
    const metrics = createKeeperMetrics({ rpcCounter: counter, processMetrics: false });
    observeMeasurements(metrics, "eth-usdc", {
      drift: -0.042,
      impermanentLoss: -0.0031,
      lvr: 1.5,
      value: 1234.5,
      fees: 7.25,
      inRange: true,
      other: "ignored",
    });
    metrics.decisionLatency.observe({ vault: "eth-usdc" }, 0.0012);
    for (const listener of counter.listeners) {
      listener({ method: "eth_call", failed: false });
      listener({ method: "eth_call", failed: true });
    }
    let healthy = true;
    const server = await serveMetrics(metrics, {
      port: 0,
      health: () => ({ ok: healthy, lastBlockAgeMs: 5n }),
    });
    try {
      expect(server.url).to.equal(`http://127.0.0.1:${server.port}`);
      const response = await fetch(`${server.url}/metrics`);
      expect(response.headers.get("content-type")).to.match(/^text\/plain/);
      const text = await response.text();
      for (const line of [
        'keeper_vault_drift{vault="eth-usdc"} -0.042',
        'keeper_vault_impermanent_loss{vault="eth-usdc"} -0.0031',
        'keeper_vault_lvr{vault="eth-usdc"} 1.5',
        'keeper_vault_value{vault="eth-usdc"} 1234.5',
        'keeper_vault_fees{vault="eth-usdc"} 7.25',
        'keeper_vault_in_range{vault="eth-usdc"} 1',
        'keeper_decision_latency_seconds_bucket{le="0.002",vault="eth-usdc"} 1',
        'keeper_decision_latency_seconds_bucket{le="0.001",vault="eth-usdc"} 0',
        'keeper_rpc_requests_total{method="eth_call"} 1',
        'keeper_rpc_errors_total{method="eth_call"} 1',
      ])
        expect(text).to.include(line);
      const health = await fetch(`${server.url}/health`);
      expect(health.status).to.equal(200);
      expect(await health.json()).to.deep.equal({ ok: true, lastBlockAgeMs: "5" });
      healthy = false;
      expect((await fetch(`${server.url}/health`)).status).to.equal(503);
      expect((await fetch(`${server.url}/nope`)).status).to.equal(404);
      expect((await fetch(`${server.url}/metrics`, { method: "POST" })).status).to.equal(405);
    } finally {
      await server.close();
    }
    let refused: unknown;
    try {
      await serveMetrics(metrics, { host: "0.0.0.0" as "127.0.0.1", port: 0, health: () => ({ ok: true }) });
    } catch (error) {
      refused = error;
    }
    expect(refused).to.be.instanceOf(MetricsHostNotLoopbackError);
  });

  it("logs one JSON object per line, with secrets scrubbed from every field, error messages included", function () {
    const logs = captureLogs();
    const log = createLogger({
      level: "info",
      secrets: [SECRET_URL, "hunter2-password"],
      destination: logs.destination,
    });
    log.warn(
      { err: new Error(`HTTP request failed. URL: ${SECRET_URL}`), url: SECRET_URL },
      "read failed with hunter2-password",
    );
    log.debug("below the level");
    const [record] = logs.records();
    expect(logs.lines).to.have.length(1);
    expect(record).to.include({
      level: 40,
      name: "keeper",
      msg: "read failed with <redacted>",
      url: "https://eth-mainnet.example/…",
    });
    expect((record!.err as { message: string }).message).to.equal(
      "HTTP request failed. URL: https://eth-mainnet.example/…",
    );
    expect(logs.lines[0]).to.not.include("SECRET123456");
  });

  it("pretty mode writes readable lines for a terminal, scrubbed the same way", function () {
    const logs = captureLogs();
    const log = createLogger({
      level: "info",
      pretty: true,
      secrets: [SECRET_URL],
      destination: logs.destination,
    });
    log.info({ vault: "eth-usdc", rpc: SECRET_URL }, "decision");
    const text = logs.lines.join("");
    expect(text).to.match(/INFO.*decision/);
    expect(text).to.include('vault: "eth-usdc"');
    expect(text).to.include("https://eth-mainnet.example/…");
    expect(text).to.not.include("SECRET123456");
  });
});
