import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import { erc20Abi, maxUint256, parseTransaction, type Address } from "viem";

import { weth9Abi } from "../../src/chain/abi/uniswap.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { serveJsonRpc } from "../../src/chain/serveJsonRpc.js";
import { createExecutor } from "../../src/keeper/execute/createExecutor.js";
import { executeCall } from "../../src/keeper/execute/executeCall.js";
import type { SettledTransaction } from "../../src/keeper/execute/followTransaction.js";
import { resumeInFlight } from "../../src/keeper/execute/resumeInFlight.js";
import { createLogger } from "../../src/keeper/ops/createLogger.js";
import { createKeeperClient } from "../../src/keeper/rpc/createKeeperClient.js";
import { loadSigner } from "../../src/keeper/signer/loadSigner.js";
import { openKeeperDatabase, type KeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { transactionsOf } from "../../src/storage/transactions.js";
import { captureLogs } from "../support/captureLogs.js";
import { startFlakyRpcProxy } from "../support/flakyRpcProxy.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";
import { until } from "../support/until.js";

const approve = (amount: bigint) => ({
  address: MAINNET.weth as Address,
  abi: erc20Abi,
  functionName: "approve",
  args: [MAINNET.swapRouter, amount],
});
const GAS = {
  maxFeePerGasGwei: 100,
  maxPriorityFeePerGasGwei: 2,
  gasLimit: 2_000_000,
  replaceAfterMs: 60_000,
  feeBumpPercent: 12.5,
};

describe("keeper executor on the mirror", function () {
  let mirror: ServedMirror;
  const dbs: KeeperDatabase[] = [];
  before(async function () {
    mirror = await serveMirror();
  });
  afterEach(async function () {
    await (await mirror.connection.viem.getTestClient()).setAutomine(true);
  });
  after(async function () {
    for (const db of dbs) db.close();
    await mirror?.close();
  });

  async function executor(
    index: number,
    overrides: Partial<Parameters<typeof createExecutor>[0]> = {},
    dbPath?: string,
  ) {
    const { client, counter } = createKeeperClient({
      urls: [mirror.url],
      timeoutMs: 5_000,
      retryCount: 2,
      retryDelayMs: 20,
      pollingIntervalMs: 25,
    });
    const db = openKeeperDatabase({
      path: dbPath ?? join(mkdtempSync(join(tmpdir(), "keeper-exec-")), "keeper.sqlite"),
    });
    dbs.push(db);
    const logs = captureLogs();
    const ex = createExecutor({
      client,
      account: await loadSigner({ signer: { type: "hardhat", index }, chainId: 31337 }),
      chainId: 31337,
      db,
      gas: GAS,
      confirmations: 0,
      pollingIntervalMs: 25,
      dryRun: false,
      log: createLogger({ level: "info", destination: logs.destination }),
      ...overrides,
    });
    return { ex, counter, db, logs };
  }
  const allowance = async (owner: Address) =>
    (await mirror.connection.viem.getPublicClient()).readContract({
      address: MAINNET.weth,
      abi: erc20Abi,
      functionName: "allowance",
      args: [owner, MAINNET.swapRouter],
    });
  const nonceOf = async (address: Address) =>
    (await mirror.connection.viem.getPublicClient()).getTransactionCount({ address });

  it("simulates, prices within the caps, journals, sends and follows a call to its receipt", async function () {
    const { ex, counter, db } = await executor(1);
    const start = await nonceOf(ex.account.address);
    const result = await executeCall(ex, { vault: "a", call: approve(123n), decisionId: null });
    expect(result.status).to.equal("mined");
    const [row] = transactionsOf(db, "a");
    expect(row).to.include({
      status: "mined",
      nonce: start,
      functionName: "approve",
      hash: (result as { hash: string }).hash,
    });
    expect(row!.gasUsed! > 40_000n && row!.gasUsed! < 50_000n, `gas used ${row!.gasUsed}`).to.equal(true);
    expect(row!.maxPriorityFeePerGas <= 2_000_000_000n && row!.maxFeePerGas <= 100_000_000_000n).to.equal(
      true,
    );
    expect(parseTransaction(row!.raw).nonce).to.equal(start);
    expect(await nonceOf(ex.account.address)).to.equal(start + 1);
    expect(await allowance(ex.account.address)).to.equal(123n);
    expect(counter.byMethod.get("eth_sendRawTransaction")).to.equal(1);
  });

  it("refuses, before signing anything, a call that would revert and one above the gas cost limit", async function () {
    const { ex, db } = await executor(2);
    const start = await nonceOf(ex.account.address);
    const reverting = await executeCall(ex, {
      vault: "b",
      call: { address: MAINNET.weth, abi: weth9Abi, functionName: "withdraw", args: [maxUint256] },
    });
    expect(reverting.status).to.equal("refused");
    expect((reverting as { reason: string }).reason).to.match(/^simulation of withdraw failed/);
    const costly = await executeCall(ex, { vault: "b", call: approve(1n), maxCostWei: 1_000n });
    expect(costly.status).to.equal("refused");
    expect((costly as { reason: string }).reason).to.include("risk.maxGasCostEth");
    const tiny = await executor(2, { gas: { ...GAS, gasLimit: 30_000 } });
    expect(
      ((await executeCall(tiny.ex, { vault: "b", call: approve(1n) })) as { reason: string }).reason,
    ).to.match(/above gas.gasLimit 30000/);
    expect(transactionsOf(db, "b")).to.deep.equal([]);
    expect(await nonceOf(ex.account.address)).to.equal(start);
  });

  it("in dry-run does everything but send: simulated, signed and journaled as dry-run, nothing broadcast", async function () {
    const { ex, counter, db } = await executor(3, { dryRun: true });
    const start = await nonceOf(ex.account.address);
    const sentBefore = mirror.methods.filter((m) => m === "eth_sendRawTransaction").length;
    const result = await executeCall(ex, { vault: "c", call: approve(5n) });
    expect(result.status).to.equal("dry-run");
    expect(counter.byMethod.get("eth_sendRawTransaction")).to.equal(undefined);
    expect(mirror.methods.filter((m) => m === "eth_sendRawTransaction").length).to.equal(sentBefore);
    expect(transactionsOf(db, "c").map((t) => t.status)).to.deep.equal(["dry-run"]);
    expect(await nonceOf(ex.account.address)).to.equal(start);
    expect(await allowance(ex.account.address)).to.equal(0n);
  });

  it("submits through the private transaction endpoint when one is configured", async function () {
    const relayed: string[] = [];
    const relay = await serveJsonRpc(mirror.connection.provider, {
      onRequest: (method) => relayed.push(method),
    });
    try {
      const { ex, counter } = await executor(4, { privateTxUrl: relay.url });
      const result = await executeCall(ex, { vault: "d", call: approve(9n) });
      expect(result.status).to.equal("mined");
      expect(relayed).to.deep.equal(["eth_sendRawTransaction"]);
      expect(counter.byMethod.get("eth_sendRawTransaction")).to.equal(undefined);
      expect(await allowance(ex.account.address)).to.equal(9n);
    } finally {
      await relay.close();
    }
  });

  it("replaces a stuck transaction with bumped fees and the same nonce, and never has two of one vault in flight", async function () {
    const testClient = await mirror.connection.viem.getTestClient();
    await testClient.setAutomine(false);
    const { ex, db } = await executor(5, { gas: { ...GAS, replaceAfterMs: 150 } });
    const start = await nonceOf(ex.account.address);
    const running = executeCall(ex, { vault: "e", call: approve(55n) });
    // Journaled before it is broadcast: wait until a node has it, or the block below would mine the original.
    await until("a replacement to be sent", () =>
      transactionsOf(db, "e").some((t) => t.replaces !== null && t.status === "sent"),
    );
    const second = await executeCall(ex, { vault: "e", call: approve(66n) });
    expect(second.status).to.equal("busy");
    await testClient.mine({ blocks: 1 });
    const result = (await running) as SettledTransaction;
    expect(result.status).to.equal("mined");
    const rows = transactionsOf(db, "e");
    const mined = rows.find((r) => r.status === "mined")!;
    const original = rows[0]!;
    expect(new Set(rows.map((r) => r.nonce))).to.deep.equal(new Set([start]));
    expect(mined.hash).to.equal(result.hash);
    expect(mined.replaces).to.not.equal(null);
    expect(original.status).to.equal("replaced");
    expect(result.hashes).to.deep.equal(rows.map((r) => r.hash));
    // +12.5 % per replacement on both fee fields (rounded up), within the caps.
    expect(Number(rows[1]!.maxPriorityFeePerGas) / Number(original.maxPriorityFeePerGas)).to.be.closeTo(
      1.125,
      0.001,
    );
    expect(Number(rows[1]!.maxFeePerGas) / Number(original.maxFeePerGas)).to.be.closeTo(1.125, 0.001);
    console.log(
      `      ${rows.length} transactions journaled for one nonce; mined ${mined.hash.slice(0, 10)}… at max fee ×${(Number(mined.maxFeePerGas) / Number(original.maxFeePerGas)).toFixed(3)}`,
    );
    expect(await nonceOf(ex.account.address)).to.equal(start + 1);
    expect(await allowance(ex.account.address)).to.equal(55n);
  });

  it("after being killed between send and receipt, a restarted executor follows the same hash and sends nothing new", async function () {
    const testClient = await mirror.connection.viem.getTestClient();
    await testClient.setAutomine(false);
    const start = await nonceOf(
      (await loadSigner({ signer: { type: "hardhat", index: 6 }, chainId: 31337 })).address,
    );
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-crash-")), "keeper.sqlite");
    const fixture = fileURLToPath(new URL("fixtures/sendThenHang.ts", import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", fixture, mirror.url, dbPath, "6"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on("exit", (_code, signal) => resolve(signal)),
    );
    const reader = openKeeperDatabase({ path: dbPath });
    dbs.push(reader);
    try {
      await until(
        "the child to journal and broadcast its transaction",
        () => transactionsOf(reader, "crash").some((t) => t.status === "sent"),
        30_000,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message}\nchild output:\n${output}`, { cause: error });
    }
    child.kill("SIGKILL");
    expect(await exited).to.equal("SIGKILL");
    const [journaled] = transactionsOf(reader, "crash");
    const sendsBefore = mirror.methods.filter((m) => m === "eth_sendRawTransaction").length;

    const { ex, db } = await executor(6, {}, dbPath);
    const refused = await (async () => {
      const following = resumeInFlight(ex);
      // While the journaled transaction is followed, nothing new may be sent for that vault.
      const busy = await executeCall(ex, { vault: "crash", call: approve(888n) });
      await testClient.mine({ blocks: 1 });
      return { busy, settled: await following };
    })();
    expect(refused.busy.status).to.equal("busy");
    expect(refused.settled).to.have.length(1);
    expect(refused.settled[0]).to.include({ status: "mined", hash: journaled!.hash, nonce: start });
    expect(transactionsOf(db, "crash").map((t) => [t.hash, t.status])).to.deep.equal([
      [journaled!.hash, "mined"],
    ]);
    expect(mirror.methods.filter((m) => m === "eth_sendRawTransaction").length).to.equal(sendsBefore);
    expect(await nonceOf(ex.account.address)).to.equal(start + 1);
    expect(await allowance(ex.account.address)).to.equal(777n);
  });

  it("re-broadcasts the same bytes after a restart when the first broadcast never reached a node", async function () {
    const testClient = await mirror.connection.viem.getTestClient();
    const blackhole = await startFlakyRpcProxy({
      upstream: mirror.url,
      drop: 1,
      delay: 0,
      error: 0,
      delayMs: 0,
      seed: 1,
    });
    const dbPath = join(mkdtempSync(join(tmpdir(), "keeper-lost-")), "keeper.sqlite");
    try {
      const first = await executor(7, { privateTxUrl: blackhole.url }, dbPath);
      const start = await nonceOf(first.ex.account.address);
      const stop = new AbortController();
      const running = executeCall(first.ex, { vault: "f", call: approve(31n), signal: stop.signal });
      await until("the signed transaction to be journaled", () => transactionsOf(first.db, "f").length === 1);
      await until("a broadcast attempt to be lost", () => blackhole.injected.dropped >= 2);
      stop.abort();
      expect((await running).status).to.equal("pending");
      expect(transactionsOf(first.db, "f")[0]!.status).to.equal("signed");
      expect(await nonceOf(first.ex.account.address)).to.equal(start);

      await testClient.setAutomine(true);
      const restarted = await executor(7, {}, dbPath);
      const [settled] = await resumeInFlight(restarted.ex);
      expect(settled).to.include({ status: "mined", hash: transactionsOf(first.db, "f")[0]!.hash });
      expect(restarted.counter.byMethod.get("eth_sendRawTransaction")).to.equal(1);
      expect(await nonceOf(first.ex.account.address)).to.equal(start + 1);
      expect(await allowance(first.ex.account.address)).to.equal(31n);
    } finally {
      await blackhole.close();
    }
  });
});
