import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

import { expect } from "chai";
import { keccak256, toHex } from "viem";

import { readCursor, saveCursor } from "../../src/storage/cursors.js";
import { decisionById, decisionsOf, recordDecision } from "../../src/storage/decisions.js";
import { DatabaseLockedError, lockDatabase } from "../../src/storage/lockDatabase.js";
import { inTransaction } from "../../src/storage/inTransaction.js";
import { MIGRATIONS } from "../../src/storage/migrations.js";
import { DatabaseNewerThanKeeperError, openKeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { rebalancesOf, recordRebalance } from "../../src/storage/rebalances.js";
import {
  firstSnapshotBlock,
  latestSnapshot,
  orphanSnapshots,
  pruneSnapshots,
  saveSnapshot,
  snapshotsOf,
} from "../../src/storage/snapshots.js";
import {
  journalTransaction,
  setTransactionOutcome,
  transactionsInFlight,
  transactionsOfDecision,
  transactionsOfNonce,
} from "../../src/storage/transactions.js";

const hash = (n: number) => keccak256(toHex(n));
const tempPath = () => join(mkdtempSync(join(tmpdir(), "keeper-db-")), "nested", "keeper.sqlite");

describe("keeper database (SQLite file)", function () {
  it("creates the file and its folder, migrates to the latest version, and reopens without migrating again", function () {
    const path = tempPath();
    const db = openKeeperDatabase({ path });
    expect(db.version).to.equal(MIGRATIONS.length);
    const tables = (
      db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    expect(tables).to.deep.equal(["cursors", "decisions", "rebalances", "snapshots", "transactions"]);
    saveCursor(db, "keeper", { blockNumber: 42n, blockHash: hash(42) });
    db.close();
    const again = openKeeperDatabase({ path });
    expect(readCursor(again, "keeper")).to.deep.equal({ blockNumber: 42n, blockHash: hash(42) });
    expect(
      (again.sqlite.prepare("PRAGMA journal_mode").get() as { journal_mode: string }).journal_mode,
    ).to.equal("wal");
    again.close();
  });

  it("refuses a database written by a newer keeper instead of guessing its schema", function () {
    const path = tempPath();
    openKeeperDatabase({ path }).close();
    const raw = new DatabaseSync(path);
    raw.exec(`PRAGMA user_version = ${MIGRATIONS.length + 1}`);
    raw.close();
    expect(() => openKeeperDatabase({ path })).to.throw(
      DatabaseNewerThanKeeperError,
      /newer than this keeper knows/,
    );
  });

  it("round-trips snapshots with bigints, orphans the ones above a reorg's common ancestor, and replaces a re-read", function () {
    const db = openKeeperDatabase({ path: tempPath() });
    const data = (n: number) => ({
      pool: { sqrtPriceX96: 1662995104975155420368771254341874n + BigInt(n), tick: 199045 },
      note: "5n is a string",
    });
    for (let n = 1; n <= 3; n++)
      saveSnapshot(db, {
        vault: "v",
        blockNumber: BigInt(n),
        blockHash: hash(n),
        blockTimestamp: BigInt(1000 + n),
        data: data(n),
      });
    expect(latestSnapshot(db, "v")!.data).to.deep.equal(data(3));
    expect(orphanSnapshots(db, 2n)).to.equal(2);
    expect(latestSnapshot(db, "v")!.blockNumber).to.equal(1n);
    saveSnapshot(db, {
      vault: "v",
      blockNumber: 2n,
      blockHash: hash(200),
      blockTimestamp: 1002n,
      data: data(200),
    });
    saveSnapshot(db, {
      vault: "v",
      blockNumber: 2n,
      blockHash: hash(200),
      blockTimestamp: 1002n,
      data: data(201),
    });
    const rows = snapshotsOf(db, "v");
    expect(rows.map((r) => [r.blockNumber, r.orphaned])).to.deep.equal([
      [1n, false],
      [2n, true],
      [2n, false],
      [3n, true],
    ]);
    expect(latestSnapshot(db, "v")!.data).to.deep.equal(data(201));
    db.close();
  });

  it("keeps a pure strategy's trigger, economics and memory with its decision, finds a decision's transactions, and prunes old snapshots", function () {
    const db = openKeeperDatabase({ path: tempPath() });
    const id = recordDecision(db, {
      vault: "v",
      blockNumber: 7n,
      blockHash: hash(7),
      strategy: "passive",
      action: "rebalance",
      reasons: ["period elapsed"],
      plan: { baseLower: -600, baseUpper: 610, limitWidth: 300, swap: null },
      trigger: "stale",
      economics: { expectedGain: 5, gasCost: 2, swapCost: 0, net: 3 },
      memory: { lastTick: 12, lastTimestamp: 1_700_000_000 },
      latencyMs: 0.2,
    });
    expect(decisionById(db, id)).to.deep.include({
      trigger: "stale",
      economics: { expectedGain: 5, gasCost: 2, swapCost: 0, net: 3 },
      memory: { lastTick: 12, lastTimestamp: 1_700_000_000 },
    });
    const tx = {
      vault: "v",
      decisionId: id,
      chainId: 1,
      sender: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
      nonce: 1,
      raw: "0x02",
      to: "0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640",
      functionName: "rebalance",
      gasLimit: 1n,
      maxFeePerGas: 1n,
      maxPriorityFeePerGas: 1n,
      replaces: null,
    } as const;
    journalTransaction(db, { ...tx, hash: hash(70), status: "sent" });
    journalTransaction(db, { ...tx, decisionId: null, hash: hash(71), status: "sent" });
    expect(transactionsOfDecision(db, id).map((t) => t.hash)).to.deep.equal([hash(70)]);
    for (let n = 1; n <= 5; n++)
      for (const vault of ["v", "w"])
        saveSnapshot(db, { vault, blockNumber: BigInt(n), blockHash: hash(n), blockTimestamp: 1n, data: n });
    expect(pruneSnapshots(db, 4n)).to.equal(6);
    expect(snapshotsOf(db, "v").map((r) => r.blockNumber)).to.deep.equal([4n, 5n]);
    expect(firstSnapshotBlock(db, "w")).to.equal(4n);
    db.close();
  });

  it("lets one process at a time decide and send from a database, taking over the lock of one that died", function () {
    const path = tempPath();
    const lock = lockDatabase(path);
    expect(() => lockDatabase(path)).to.throw(
      DatabaseLockedError,
      new RegExp(`in use by process ${process.pid}`),
    );
    lock.release();
    lockDatabase(path).release();
    // A lock file left by a process that no longer runs (pid far above any live one).
    writeFileSync(`${path}.lock`, "999999999");
    const taken = lockDatabase(path);
    expect(readFileSync(`${path}.lock`, "utf8")).to.equal(String(process.pid));
    taken.release();
    expect(existsSync(`${path}.lock`)).to.equal(false);
  });

  it("journals transactions and follows their status; only signed and sent ones are in flight", function () {
    const db = openKeeperDatabase({ path: tempPath() });
    const decisionId = recordDecision(db, {
      vault: "v",
      blockNumber: 5n,
      blockHash: hash(5),
      strategy: "s",
      action: "rebalance",
      reasons: ["out of range"],
      plan: { lower: -600, upper: 600, size: 10n ** 30n },
      latencyMs: 0.4,
    });
    expect(decisionsOf(db, "v")[0]!.plan).to.deep.equal({ lower: -600, upper: 600, size: 10n ** 30n });
    const base = {
      vault: "v",
      decisionId,
      chainId: 31337,
      sender: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
      nonce: 3,
      raw: "0x02",
      to: "0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640",
      functionName: "rebalance",
      gasLimit: 500_000n,
      maxFeePerGas: 30_000_000_000n,
      maxPriorityFeePerGas: 2_000_000_000n,
      replaces: null,
    } as const;
    journalTransaction(db, { ...base, hash: hash(100), status: "signed" });
    journalTransaction(db, {
      ...base,
      hash: hash(101),
      replaces: hash(100),
      maxFeePerGas: 33_750_000_000n,
      status: "sent",
    });
    expect(transactionsInFlight(db, "v").map((t) => t.hash)).to.deep.equal([hash(100), hash(101)]);
    expect(transactionsInFlight(db, "other")).to.deep.equal([]);
    setTransactionOutcome(db, hash(101), {
      status: "mined",
      blockNumber: 9n,
      gasUsed: 412_345n,
      effectiveGasPrice: 25_000_000_000n,
    });
    setTransactionOutcome(db, hash(100), { status: "replaced" });
    expect(transactionsInFlight(db)).to.deep.equal([]);
    const [first, second] = transactionsOfNonce(db, 31337, base.sender, 3);
    expect(first).to.include({ status: "replaced", replaces: null });
    expect(second).to.include({
      status: "mined",
      replaces: hash(100),
      gasUsed: 412_345n,
      blockNumber: 9n,
      maxFeePerGas: 33_750_000_000n,
    });
    expect(() => journalTransaction(db, { ...base, hash: hash(101), status: "signed" })).to.throw(/UNIQUE/);
    recordRebalance(db, {
      vault: "v",
      decisionId,
      txHash: hash(101),
      blockNumber: 9n,
      blockTimestamp: 1_704_412_823n,
      gasUsed: 412_345n,
      gasCostWei: 412_345n * 25_000_000_000n,
      costs: { swap: 12n },
    });
    recordRebalance(db, {
      vault: "v",
      decisionId,
      txHash: hash(101),
      blockNumber: 9n,
      blockTimestamp: 1_704_412_823n,
      gasUsed: 1n,
      gasCostWei: 1n,
      costs: {},
    });
    const rebalances = rebalancesOf(db, "v");
    expect(rebalances).to.have.length(1);
    expect(rebalances[0]).to.include({ gasUsed: 412_345n, gasCostWei: 10_308_625_000_000_000n });
    expect(rebalances[0]!.costs).to.deep.equal({ swap: 12n });
    db.close();
  });

  it("leaves nothing half-written when a step inside a transaction fails", function () {
    const db = openKeeperDatabase({ path: tempPath() });
    expect(() =>
      inTransaction(db, () => {
        saveSnapshot(db, { vault: "v", blockNumber: 1n, blockHash: hash(1), blockTimestamp: 1n, data: {} });
        saveCursor(db, "keeper", { blockNumber: 1n, blockHash: hash(1) });
        throw new Error("decision failed");
      }),
    ).to.throw("decision failed");
    expect(snapshotsOf(db, "v")).to.deep.equal([]);
    expect(readCursor(db, "keeper")).to.equal(null);
    db.close();
  });
});
