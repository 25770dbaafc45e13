import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import hre from "hardhat";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { erc20Abi, getAddress, maxUint256, type Address } from "viem";

import { MAINNET } from "../../src/chain/addresses.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { readVaultState } from "../../src/chain/vault/readVaultState.js";
import { loadSigner } from "../../src/keeper/signer/loadSigner.js";
import { lockDatabase } from "../../src/storage/lockDatabase.js";
import { openKeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { rebalancesOf } from "../../src/storage/rebalances.js";
import { transactionsOf } from "../../src/storage/transactions.js";
import { tasks } from "../../src/tasks/index.js";
import vaultDeploy from "../../src/tasks/vaultDeploy.js";
import vaultRebalance from "../../src/tasks/vaultRebalance.js";
import vaultStatus from "../../src/tasks/vaultStatus.js";
import { runHardhat } from "../support/runHardhat.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";
import { FAR_DEADLINE } from "../support/vaultActions.js";
import { mined } from "../support/vaultPool.js";

const KEEPER_INDEX = 13;

/** Runs `body` with console.log collected (what a task prints). */
async function printed(body: () => Promise<unknown>): Promise<string> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    await body();
  } finally {
    console.log = original;
  }
  return lines.join("\n");
}

const deployArgs = {
  pool: "usdcWeth005",
  name: "Rangekeeper USDC/WETH",
  symbol: "rkUW",
  owner: "",
  keeper: "",
  treasury: "",
  protocolFeeBps: 500,
  params: "",
  factory: "",
  lens: "",
  rpcUrl: "",
};

describe("hardhat vault:deploy, vault:status, vault:rebalance", function () {
  let mirror: ServedMirror;
  before(async function () {
    mirror = await serveMirror();
  });
  after(async function () {
    await mirror?.close();
  });

  it("every vault task and option says what it does (--help)", function () {
    for (const name of ["keeper", "vault:deploy", "vault:status", "vault:rebalance"]) {
      const definition = tasks.find((t) => t.id.join(":") === name) as unknown as {
        description: string;
        options: Record<string, { description: string }>;
      };
      expect(definition, name).to.not.equal(undefined);
      expect(definition.description.length, name).to.be.greaterThan(30);
      for (const [option, { description }] of Object.entries(definition.options))
        expect(description.length, `${name} --${option}`).to.be.greaterThan(10);
    }
  });

  it("deploys a vault with checked params, shows its status, rebalances it once with --dry-run sending nothing, then for real", async function () {
    const { viem } = mirror.connection;
    const keeper = (await loadSigner({ signer: { type: "hardhat", index: KEEPER_INDEX }, chainId: 31337 }))
      .address;
    const fail = (args: Partial<typeof deployArgs>) =>
      vaultDeploy({ ...deployArgs, rpcUrl: mirror.url, ...args }, hre).then(
        () => "deployed",
        (error: unknown) => (error as Error).message,
      );
    expect(await fail({ params: '{"maxTwapDeviation":900}' })).to.equal(
      "--params: vault parameter maxTwapDeviation = 900 is out of bounds: expected an integer in [1, 500]",
    );
    expect(await fail({ params: '{"twap":60}' })).to.match(
      /^--params: unknown field "twap"; expected some of twapWindow/,
    );
    expect(await fail({ pool: "usdcWeth" })).to.match(
      /^--pool must be a pool address \(0x…\) or one of usdcWeth005/,
    );
    expect(await fail({ keeper: "0x12" })).to.equal(
      '--keeper must be a 0x-prefixed 20-byte address, got "0x12"',
    );
    expect(await fail({ rpcUrl: "ftp://x" })).to.equal("--rpc-url must be an http(s) URL, got ftp://x");

    const out = await printed(() =>
      vaultDeploy({ ...deployArgs, rpcUrl: mirror.url, keeper, params: '{"maxTwapDeviation":80}' }, hre),
    );
    const address = (label: string) =>
      getAddress(new RegExp(`^  ${label} +(0x[0-9a-fA-F]{40})`, "m").exec(out)![1]!);
    const [lens, vault] = [address("lens"), address("vault")];
    const state = await readVaultState(await viem.getPublicClient(), { lens, vault });
    expect(state.params.maxTwapDeviation).to.equal(80);
    expect(
      await (
        await viem.getPublicClient()
      ).readContract({ address: vault, abi: rangeVaultAbi, functionName: "keeper" }),
    ).to.equal(keeper);

    // A deposit, then the keeper config the tasks read.
    const depositor = (await viem.getWalletClients())[1]!;
    for (const token of [MAINNET.usdc, MAINNET.weth] as Address[])
      await mined(
        viem,
        await depositor.writeContract({
          address: token,
          abi: erc20Abi,
          functionName: "approve",
          args: [vault, maxUint256],
        }),
      );
    await mined(
      viem,
      await depositor.writeContract({
        address: vault,
        abi: rangeVaultAbi,
        functionName: "deposit",
        args: [50_000n * 10n ** 6n, 22n * 10n ** 18n, 0n, 0n, 0n, depositor.account.address, FAR_DEADLINE],
      }),
    );
    const folder = mkdtempSync(join(tmpdir(), "vault-tasks-"));
    const configPath = join(folder, "keeper.json");
    const writeConfig = (urls: string[]) =>
      writeFileSync(
        configPath,
        JSON.stringify({
          chainId: 31337,
          rpc: { urls, pollingIntervalMs: 20 },
          confirmations: 1,
          signer: { type: "hardhat", index: KEEPER_INDEX },
          vaultLens: lens,
          vaults: [
            {
              name: "uw",
              address: vault,
              pool: MAINNET.pools.usdcWeth005,
              strategy: {
                name: "passive",
                params: { baseThreshold: 600, limitThreshold: 300, period: 3600, minTickMove: 0 },
              },
            },
          ],
          database: { path: "keeper.sqlite" },
        }),
      );
    writeConfig([mirror.url]);
    await (await viem.getTestClient()).mine({ blocks: 1 });

    const status = await printed(() => vaultStatus({ keeperConfig: configPath, vault: "" }, hre));
    expect(status).to.match(/^uw {2}0x[0-9a-fA-F]{40} {2}USDC\/WETH 0\.05 % {2}block \d+/);
    expect(status).to.match(
      /price: 1 USDC = 0\.000\d+ WETH, 1 WETH = 2,\d{3}\.\d+ USDC; tick 199045, TWAP tick 199045/,
    );
    expect(status).to.match(/│ idle +│ +│ +│ +│ 50,000 +│ 22 +│/);
    expect(status).to.include("│ in range");
    expect(status).to.include("no; P(in range in 1 d) 0.000 %");
    expect(status).to.match(/last rebalance +│ never +│/);
    expect(status).to.include("no keeper database: IL and LVR count from this block");
    expect(
      await vaultStatus({ keeperConfig: configPath, vault: "nope" }, hre).then(
        () => "",
        (e: unknown) => (e as Error).message,
      ),
    ).to.equal('--vault: no vault named "nope" in the keeper config; expected one of uw');

    // --dry-run: the whole decision and a signed transaction, nothing sent.
    const sends = () => mirror.methods.filter((m) => m === "eth_sendRawTransaction").length;
    const sendsBefore = sends();
    const dry = await printed(() =>
      vaultRebalance({ keeperConfig: configPath, vault: "", dryRun: true, allowRawKey: false }, hre),
    );
    expect(dry).to.match(/decision: rebalance \(trigger: initial\)\n {2}- the vault holds no ranges yet/);
    expect(dry).to.include("economics: this strategy makes no economic check");
    expect(dry).to.match(/plan: base \[198440, 199650\), limit width 300, no swap/);
    expect(dry).to.match(/call: RangeVault\.rebalance with expectedTick 199045 ± 20, deadline \d+/);
    expect(dry).to.match(
      /outcome: dry run: simulated and signed \(tx 0x[0-9a-f]{64}, gas limit \d+, max fee [\d.]+ gwei\), nothing sent/,
    );
    expect(sends()).to.equal(sendsBefore);
    expect((await readVaultState(await viem.getPublicClient(), { lens, vault })).base.liquidity).to.equal(0n);

    // A running keeper holds the database: vault:rebalance refuses rather than risk a second rebalance in flight.
    const lock = lockDatabase(join(folder, "keeper.sqlite"));
    const locked = await vaultRebalance(
      { keeperConfig: configPath, vault: "uw", dryRun: false, allowRawKey: false },
      hre,
    ).then(
      () => "",
      (e: unknown) => (e as Error).message,
    );
    lock.release();
    expect(locked).to.match(
      /keeper\.sqlite is in use by process \d+ \(a running keeper or vault:rebalance\)/,
    );

    // For real: sent, followed to its receipt at 1 confirmation (a block mined on top here), and recorded.
    const testClient = await viem.getTestClient();
    let done = false;
    const miner = (async () => {
      while (!done) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (!done) await testClient.mine({ blocks: 1 });
      }
    })();
    const real = await printed(() =>
      vaultRebalance({ keeperConfig: configPath, vault: "uw", dryRun: false, allowRawKey: false }, hre),
    ).finally(() => (done = true));
    await miner;
    expect(real).to.match(
      /outcome: mined in block \d+, tx 0x[0-9a-f]{64}, gas \d+ × [\d.]+ gwei = [\d.]+ ETH; lost [\d.e-]+ WETH at the TWAP price/,
    );
    expect(sends()).to.equal(sendsBefore + 1);
    const after = await readVaultState(await viem.getPublicClient(), { lens, vault });
    expect([after.base.lower, after.base.upper]).to.deep.equal([198440, 199650]);
    const db = openKeeperDatabase({ path: join(folder, "keeper.sqlite") });
    try {
      expect(transactionsOf(db, "uw").map((t) => t.status)).to.deep.equal(["dry-run", "mined"]);
      expect(rebalancesOf(db, "uw")).to.have.length(1);
    } finally {
      db.close();
    }

    // The status after it, through --network (the config's own URL is a dead one: the network replaces it).
    writeConfig(["http://127.0.0.1:9/"]);
    const throughNetwork = {
      ...hre,
      globalOptions: { ...hre.globalOptions, network: "localhost" },
      network: { create: () => hre.network.create({ network: "localhost", override: { url: mirror.url } }) },
    } as unknown as HardhatRuntimeEnvironment;
    const statusAfter = await printed(() =>
      vaultStatus({ keeperConfig: configPath, vault: "uw" }, throughNetwork),
    );
    expect(statusAfter).to.match(/│ base +│ \[198440, 199650\) +│/);
    expect(statusAfter).to.include("yes; P(in range in 1 d)");
    expect(statusAfter).to.match(
      /last rebalance +│ \d{4}-\d\d-\d\dT[\d:.]+Z, block \d+; gas \d+ = [\d.]+ ETH;/,
    );
    expect(statusAfter).to.match(/keeper database blocks \d+–\d+/);
  });

  it("refuses to run without --keeper-config, saying what it takes, with a non-zero exit", async function () {
    const run = runHardhat(["vault:status"]);
    expect((await run.exited).code).to.not.equal(0);
    expect(run.output()).to.include(
      "--keeper-config is required: the path of a keeper config file (.json, .yaml or .yml); see docs/keeper.md",
    );
  });
});
