import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import hre from "hardhat";
import { createPublicClient, http, pad, type Address, type Hex } from "viem";

import { MAINNET_WBTC_WETH } from "../../../src/chain/addresses.js";
import { MAINNET_SNAPSHOT_FORMAT, type MainnetSnapshot } from "../../../src/chain/fork/mainnetSnapshot.js";
import {
  MainnetSnapshotFileError,
  readMainnetSnapshot,
} from "../../../src/chain/fork/readMainnetSnapshot.js";
import {
  serveMainnetSnapshot,
  type MainnetSnapshotServer,
} from "../../../src/chain/fork/serveMainnetSnapshot.js";
import { sharedDataDir } from "../../../src/data/sharedDataFile.js";
import forkSnapshot from "../../../src/tasks/forkSnapshot.js";

const hardhatCli = fileURLToPath(new URL("../../../node_modules/hardhat/dist/src/cli.js", import.meta.url));
const ACCOUNT: Address = "0x00000000000000000000000000000000000000aa";
const word = (n: number) => pad(`0x${n.toString(16)}`, { size: 32 });

/** A two-slot snapshot small enough to reason about every answer. */
const tiny: MainnetSnapshot = {
  format: MAINNET_SNAPSHOT_FORMAT,
  chainId: 1,
  block: {
    number: "0x10",
    hash: `0x${"ab".repeat(32)}`,
    parentHash: `0x${"00".repeat(32)}`,
    nonce: "0x0000000000000000",
    sha3Uncles: `0x${"00".repeat(32)}`,
    logsBloom: `0x${"00".repeat(256)}`,
    transactionsRoot: `0x${"00".repeat(32)}`,
    stateRoot: `0x${"00".repeat(32)}`,
    receiptsRoot: `0x${"00".repeat(32)}`,
    miner: "0x0000000000000000000000000000000000000000",
    difficulty: "0x0",
    totalDifficulty: "0x0",
    extraData: "0x",
    size: "0x0",
    gasLimit: "0x1c9c380",
    gasUsed: "0x0",
    timestamp: "0x64",
    baseFeePerGas: "0x3b9aca00",
    mixHash: `0x${"00".repeat(32)}`,
    transactions: [],
    uncles: [],
  },
  accounts: {
    [ACCOUNT]: {
      label: "test account",
      balance: "0x5",
      nonce: "0x1",
      code: "0x6000",
      storage: { [word(1)]: word(7), [word(2)]: word(3) },
      partialSlots: [word(2)],
    },
  },
  provenance: [],
};

async function rpc(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return response.json();
}

describe("recorded-mainnet snapshot server", function () {
  let server: MainnetSnapshotServer;
  const call = async (method: string, params: unknown[] = []) =>
    (await rpc(server.url, { jsonrpc: "2.0", id: 1, method, params })) as {
      result?: unknown;
      error?: { code: number; message: string };
    };

  beforeEach(async () => (server = await serveMainnetSnapshot(tiny)));
  afterEach(async () => server.close());

  it("answers the reads a fork makes from the snapshot, on 127.0.0.1", async function () {
    expect(server.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await call("eth_chainId")).result).to.equal("0x1");
    expect((await call("net_version")).result).to.equal("1");
    expect((await call("eth_blockNumber")).result).to.equal("0x10");
    expect((await call("eth_getBlockByNumber", ["0x10", false])).result).to.deep.equal(tiny.block);
    expect((await call("eth_getBlockByNumber", ["latest", true])).result).to.deep.equal(tiny.block);
    expect((await call("eth_getBlockByHash", [tiny.block.hash, false])).result).to.deep.equal(tiny.block);
    expect((await call("eth_getBalance", [ACCOUNT, "0x10"])).result).to.equal("0x5");
    expect((await call("eth_getTransactionCount", [ACCOUNT, "0x10"])).result).to.equal("0x1");
    expect((await call("eth_getCode", [ACCOUNT.toUpperCase().replace("0X", "0x"), "0x10"])).result).to.equal(
      "0x6000",
    );
    expect((await call("eth_getStorageAt", [ACCOUNT, "0x1", "0x10"])).result).to.equal(word(7));
    expect((await call("eth_getStorageAt", [ACCOUNT, word(1), { blockNumber: "0x10" }])).result).to.equal(
      word(7),
    );
    expect(server.counts().unrecorded).to.deep.equal({});
    expect(server.counts().requests).to.deep.equal({
      eth_chainId: 1,
      net_version: 1,
      eth_blockNumber: 1,
      eth_getBlockByNumber: 2,
      eth_getBlockByHash: 1,
      eth_getBalance: 1,
      eth_getTransactionCount: 1,
      eth_getCode: 1,
      eth_getStorageAt: 2,
    });
  });

  it("answers unrecorded state as empty and counts it by method and address, partial slots included", async function () {
    const other = "0x00000000000000000000000000000000000000bb";
    expect((await call("eth_getBalance", [other, "0x10"])).result).to.equal("0x0");
    expect((await call("eth_getCode", [other, "0x10"])).result).to.equal("0x");
    expect((await call("eth_getTransactionCount", [other, "0x10"])).result).to.equal("0x0");
    expect((await call("eth_getStorageAt", [other, "0x1", "0x10"])).result).to.equal(word(0));
    expect((await call("eth_getStorageAt", [ACCOUNT, "0x9", "0x10"])).result).to.equal(word(0));
    expect((await call("eth_getStorageAt", [ACCOUNT, "0x2", "0x10"])).result).to.equal(word(3));
    expect((await call("eth_getStorageAt", [ACCOUNT, "0x2", "0x10"])).result).to.equal(word(3));
    expect((await call("eth_getBlockByNumber", ["0xf", false])).result).to.equal(null);
    expect((await call("eth_getLogs", [{ address: ACCOUNT }])).result).to.deep.equal([]);
    expect(server.counts().unrecorded).to.deep.equal({
      eth_getBalance: { [other]: 1 },
      eth_getCode: { [other]: 1 },
      eth_getTransactionCount: { [other]: 1 },
      eth_getStorageAt: { [other]: 1, [ACCOUNT]: 3 },
      eth_getBlockByNumber: { "block 0xf": 1 },
      eth_getLogs: { [ACCOUNT]: 1 },
    });
  });

  it("refuses state at another block, unknown methods and malformed parameters with JSON-RPC errors that say why", async function () {
    expect((await call("eth_getBalance", [ACCOUNT, "0xf"])).error).to.deep.equal({
      code: -32000,
      message: "eth_getBalance: state at block 0xf is not recorded; this snapshot holds block 16 only",
    });
    const unknown = (await call("eth_getProof", [ACCOUNT, [], "0x10"])).error!;
    expect(unknown.code).to.equal(-32601);
    expect(unknown.message).to.match(
      /^eth_getProof is not served by the recorded-mainnet snapshot server \(it answers eth_chainId, /,
    );
    expect((await call("eth_getStorageAt", ["0x12", "0x0", "0x10"])).error).to.deep.equal({
      code: -32602,
      message: "eth_getStorageAt: params[0] must be an address, got 0x12",
    });
    expect((await call("eth_feeHistory", ["0x4", "latest", []])).error!.message).to.equal(
      "eth_feeHistory: blocks before 16 are not recorded",
    );
    expect((await call("eth_feeHistory", ["0x1", "latest", [50]])).result).to.deep.equal({
      oldestBlock: "0x10",
      baseFeePerGas: ["0x3b9aca00", "0x342770c0"], // an empty block: the next base fee is 7/8 of 1 gwei
      gasUsedRatio: [0],
      reward: [["0x0"]],
    });
  });

  it("answers JSON-RPC batches in order", async function () {
    const replies = (await rpc(server.url, [
      { jsonrpc: "2.0", id: 7, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: 8, method: "eth_getBalance", params: [ACCOUNT, "latest"] },
    ])) as { id: number; result: string }[];
    expect(replies.map((r) => [r.id, r.result])).to.deep.equal([
      [7, "0x1"],
      [8, "0x5"],
    ]);
  });

  it("refuses a snapshot file of another format, naming the field and how to make one", function () {
    const dir = mkdtempSync(join(tmpdir(), "rangekeeper-snapshot-"));
    try {
      const path = join(dir, "old.json");
      writeFileSync(path, JSON.stringify({ ...tiny, format: "something else" }));
      expect(() => readMainnetSnapshot(path)).to.throw(
        MainnetSnapshotFileError,
        `${path}: format must be "${MAINNET_SNAPSHOT_FORMAT}" (make the file with \`npx hardhat fork:snapshot --out <file>\`)`,
      );
      const badSlot = {
        ...tiny,
        accounts: { [ACCOUNT]: { ...tiny.accounts[ACCOUNT]!, storage: { "0x1": word(1) } } },
      };
      writeFileSync(path, JSON.stringify(badSlot));
      expect(() => readMainnetSnapshot(path)).to.throw(
        MainnetSnapshotFileError,
        `accounts["${ACCOUNT}"].storage["0x1"]`,
      );
    } finally {
      rmSync(dir, { recursive: true });
    }
  });
});

describe("hardhat fork:snapshot and fork:serve", function () {
  it("writes the recorded snapshot to a file, and serves that file to another client until SIGINT", async function () {
    const dir = mkdtempSync(join(tmpdir(), "rangekeeper-fork-serve-"));
    const file = join(dir, "snapshot.json");
    const child = { process: undefined as ReturnType<typeof spawn> | undefined };
    try {
      await forkSnapshot({ out: file }, hre);
      const written = readMainnetSnapshot(file);
      expect(BigInt(written.block.number)).to.equal(16_944_668n);
      expect(Object.values(written.accounts).map((a) => a.label)).to.include(
        "WBTC (8-decimals ERC-20 stand-in: MirrorToken built for Paris, anyone may mint)",
      );
      // Nothing of this machine in it: the same data gives the same file anywhere.
      expect(readFileSync(file, "utf8")).not.to.include(sharedDataDir());

      const served = spawn(process.execPath, [hardhatCli, "fork:serve", "--snapshot", file, "--port", "0"], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      child.process = served;
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        served.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /JSON-RPC at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        served.on("exit", (code) =>
          reject(new Error(`fork:serve exited with ${code} before serving:\n${out}`)),
        );
      });
      const client = createPublicClient({ transport: http(url) });
      expect(await client.getBlockNumber()).to.equal(16_944_668n);
      const pool = MAINNET_WBTC_WETH.pool;
      expect(await client.getCode({ address: pool })).to.equal(
        written.accounts[pool.toLowerCase() as Address]!.code,
      );
      expect(await client.getStorageAt({ address: pool, slot: "0x4" })).to.equal(
        pad("0x1884750966c025cf" as Hex),
      ); // liquidity
      const exited = new Promise<number | null>((resolve) => served.on("exit", resolve));
      served.kill("SIGINT");
      expect(await exited).to.equal(0);
      expect(out).to.include("stopped after 3 requests, 0 of them reads the recording does not hold");
    } finally {
      child.process?.kill("SIGKILL");
      rmSync(dir, { recursive: true });
    }
  });
});
