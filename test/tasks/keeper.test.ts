import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { MAINNET } from "../../src/chain/addresses.js";
import { decisionsOf } from "../../src/storage/decisions.js";
import { openKeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { runHardhat } from "../support/runHardhat.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";

function writeConfig(config: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), "keeper-task-")), "keeper.config.json");
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

describe("hardhat keeper", function () {
  let mirror: ServedMirror;
  before(async function () {
    mirror = await serveMirror();
  });
  after(async function () {
    await mirror?.close();
  });

  it("runs the loop from a config file, serves health on 127.0.0.1, and on SIGTERM closes everything and exits 0", async function () {
    const path = writeConfig({
      chainId: 31337,
      rpc: { urls: [mirror.url], pollingIntervalMs: 50 },
      confirmations: 1,
      signer: { type: "hardhat", index: 11 },
      vaults: [
        {
          name: "watched",
          address: "0x000000000000000000000000000000000000dEaD",
          pool: MAINNET.pools.usdcWeth005,
          strategy: { name: "observe" },
        },
      ],
      metrics: { port: 0 },
      database: { path: "keeper.sqlite" },
    });
    const keeper = runHardhat(["keeper", "--keeper-config", path]);
    try {
      const [, metricsUrl] = (await keeper.waitFor(/"metrics":"(http:\/\/127\.0\.0\.1:\d+)"/)) as unknown as [
        string,
        string,
      ];
      await keeper.waitFor(/"msg":"keeper started"/);
      await (await mirror.connection.viem.getTestClient()).mine({ blocks: 3 });
      const health = await fetch(`${metricsUrl}/health`);
      expect(health.status).to.equal(200);
      await new Promise((resolve) => setTimeout(resolve, 300));
      keeper.child.kill("SIGTERM");
      expect(await keeper.exited).to.deep.equal({ code: 0, signal: null });
      const lines = keeper
        .output()
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as { msg: string });
      expect(lines.map((l) => l.msg).slice(-2)).to.deep.equal([
        "keeper stopped",
        "database closed, metrics server stopped",
      ]);
      const db = openKeeperDatabase({ path: join(path, "..", "keeper.sqlite") });
      try {
        const decisions = decisionsOf(db, "watched");
        expect(decisions.length).to.be.greaterThan(0);
        expect(
          decisions.every(
            (d) => d.action === "hold" && d.reasons[0] === "observe: this strategy never rebalances",
          ),
        ).to.equal(true);
      } finally {
        db.close();
      }
    } finally {
      keeper.child.kill("SIGKILL");
    }
  });

  it("refuses a bad config before connecting, naming the fields and printing no secret", async function () {
    const path = writeConfig({
      chainId: "mainnet",
      rpc: { urls: ["https://eth.example/v2/TOPSECRETKEY"] },
      signer: { type: "hardhat" },
      vaults: [
        { name: "x", address: "0xdead", pool: MAINNET.pools.usdcWeth005, strategy: { name: "observe" } },
      ],
      database: { path: "k.sqlite" },
      metrics: { host: "0.0.0.0" },
    });
    const keeper = runHardhat(["keeper", "--keeper-config", path]);
    const { code } = await keeper.exited;
    expect(code).to.not.equal(0);
    const out = keeper.output();
    expect(out).to.include("chainId: expected a chain id");
    expect(out).to.include("vaults[0].address: expected a 0x-prefixed 20-byte hex address");
    expect(out).to.include('metrics.host: expected "127.0.0.1"');
    expect(out).to.not.include("TOPSECRETKEY");
  });
});
