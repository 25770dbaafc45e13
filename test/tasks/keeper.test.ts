import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { parseEventLogs, type Address, type Hash } from "viem";

import { MAINNET } from "../../src/chain/addresses.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { decisionsOf } from "../../src/storage/decisions.js";
import { openKeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { rebalancesOf } from "../../src/storage/rebalances.js";
import { transactionsOf } from "../../src/storage/transactions.js";
import { deployKeeperVaults } from "../support/keeperVaults.js";
import { runHardhat } from "../support/runHardhat.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";

function writeConfig(config: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), "keeper-task-")), "keeper.config.json");
  writeFileSync(path, JSON.stringify(config, null, 2));
  return path;
}

describe("hardhat keeper", function () {
  let mirror: ServedMirror;
  let lens: Address;
  let vault: Address;
  before(async function () {
    mirror = await serveMirror();
    const deployed = await deployKeeperVaults(mirror.connection, mirror.deployment, {
      pool: MAINNET.pools.usdcWeth005,
      tickSpacing: 10,
      token0: MAINNET.usdc,
      token1: MAINNET.weth,
      keeperIndex: 11,
      names: ["main"],
      deposit: { amount0: 100_000n * 10n ** 6n, amount1: 44n * 10n ** 18n },
    });
    [lens, vault] = [deployed.lens, deployed.vaults[0]!];
  });
  after(async function () {
    await (await mirror?.connection.viem.getTestClient())?.setAutomine(true);
    await mirror?.close();
  });

  it("killed between sending a rebalance and its receipt, a restarted keeper follows that transaction and sends nothing new; SIGTERM closes everything", async function () {
    const testClient = await mirror.connection.viem.getTestClient();
    const direct = await mirror.connection.viem.getPublicClient();
    const path = writeConfig({
      chainId: 31337,
      rpc: { urls: [mirror.url], pollingIntervalMs: 50 },
      confirmations: 1,
      signer: { type: "hardhat", index: 11 },
      vaultLens: lens,
      vaults: [
        {
          name: "main",
          address: vault,
          pool: MAINNET.pools.usdcWeth005,
          strategy: {
            name: "passive",
            params: { baseThreshold: 600, limitThreshold: 300, period: 3600, minTickMove: 0 },
          },
        },
      ],
      metrics: { port: 0 },
      database: { path: "keeper.sqlite" },
    });
    const dbPath = join(path, "..", "keeper.sqlite");
    const sends = () => mirror.methods.filter((m) => m === "eth_sendRawTransaction").length;
    const sendsBefore = sends();
    // Nothing is mined on its own: the rebalance waits in the mempool while the keeper is killed.
    await testClient.setAutomine(false);

    const first = runHardhat(["keeper", "--keeper-config", path]);
    let hash: Hash;
    try {
      [, hash] = (await first.waitFor(
        /"hash":"(0x[0-9a-f]{64})"[^\n]*"msg":"transaction sent"/,
      )) as unknown as [string, Hash];
    } finally {
      first.child.kill("SIGKILL");
    }
    expect(await first.exited).to.deep.include({ signal: "SIGKILL" });
    expect(sends()).to.equal(sendsBefore + 1);
    expect((await direct.getTransaction({ hash: hash! })).blockNumber).to.equal(null);
    // The killed process left its lock behind; the next one takes it over.
    expect(existsSync(`${dbPath}.lock`)).to.equal(true);

    const second = runHardhat(["keeper", "--keeper-config", path]);
    try {
      const [, metricsUrl] = (await second.waitFor(/"metrics":"(http:\/\/127\.0\.0\.1:\d+)"/)) as unknown as [
        string,
        string,
      ];
      await second.waitFor(/"msg":"resuming transactions journaled before the restart"/);
      await testClient.mine({ blocks: 1 });
      await testClient.mine({ blocks: 1 });
      await second.waitFor(/"msg":"rebalance mined"/);
      const health = await fetch(`${metricsUrl}/health`);
      expect(health.status).to.equal(200);
      second.child.kill("SIGTERM");
      expect(await second.exited).to.deep.equal({ code: 0, signal: null });
    } finally {
      second.child.kill("SIGKILL");
    }
    const lines = second
      .output()
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { msg: string });
    expect(lines.map((l) => l.msg).slice(-2)).to.deep.equal([
      "keeper stopped",
      "database closed, metrics server stopped",
    ]);
    expect(existsSync(`${dbPath}.lock`)).to.equal(false);

    // One transaction, sent once, mined once, recorded once.
    expect(sends()).to.equal(sendsBefore + 1);
    const db = openKeeperDatabase({ path: dbPath });
    try {
      expect(transactionsOf(db, "main").map((t) => [t.hash, t.status])).to.deep.equal([[hash!, "mined"]]);
      expect(rebalancesOf(db, "main").map((r) => r.txHash)).to.deep.equal([hash!]);
      const decisions = decisionsOf(db, "main");
      expect(decisions.filter((d) => d.action === "rebalance")).to.have.length(1);
      expect(
        decisions
          .filter((d) => d.action === "blocked")
          .every((d) => /in flight|not in this block's state yet/.test(d.reasons.at(-1)!)),
      ).to.equal(true);
    } finally {
      db.close();
    }
    const onChain = parseEventLogs({
      abi: rangeVaultAbi,
      eventName: "Rebalance",
      logs: await direct.getLogs({ address: vault, fromBlock: 0n }),
    });
    expect(onChain.map((e) => e.transactionHash)).to.deep.equal([hash!]);
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
