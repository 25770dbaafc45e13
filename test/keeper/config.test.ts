import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { KeeperConfigError, loadKeeperConfig } from "../../src/keeper/config/loadKeeperConfig.js";
import { redactUrl } from "../../src/keeper/config/redactUrl.js";

const SECRET_URL = "https://eth-mainnet.example/v2/sk_live_SECRET123456";

function validConfig(): Record<string, unknown> {
  return {
    chainId: 1,
    rpc: { urls: [SECRET_URL, "https://fallback.example/rpc?apikey=ALSOSECRET999"] },
    signer: { type: "keystore", path: "keeper.keystore.json" },
    vaultLens: "0x2222222222222222222222222222222222222222",
    vaults: [
      {
        name: "usdc-weth-005",
        address: "0x1111111111111111111111111111111111111111",
        pool: "0x88e6a0c2ddd26feeb64f039a2c41296fcb3f5640",
        strategy: { name: "observe" },
      },
    ],
    database: { path: "state/keeper.sqlite" },
  };
}

function write(name: string, content: string): string {
  const dir = mkdtempSync(join(tmpdir(), "keeper-config-"));
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function refusal(path: string): Promise<KeeperConfigError> {
  try {
    await loadKeeperConfig({ path });
  } catch (error) {
    expect(error).to.be.instanceOf(KeeperConfigError);
    return error as KeeperConfigError;
  }
  expect.fail("the config was accepted");
}

describe("keeper config", function () {
  it("accepts a minimal JSON config, fills every default and resolves paths against the config's folder", async function () {
    const path = write("keeper.json", JSON.stringify(validConfig()));
    const config = await loadKeeperConfig({ path });
    expect(config.confirmations).to.equal(2);
    expect(config.gas).to.deep.equal({
      maxFeePerGasGwei: 100,
      maxPriorityFeePerGasGwei: 2,
      gasLimit: 2_000_000,
      replaceAfterMs: 90_000,
      feeBumpPercent: 12.5,
    });
    expect(config.rpc).to.include({
      timeoutMs: 10_000,
      retryCount: 3,
      retryDelayMs: 250,
      pollingIntervalMs: 4_000,
    });
    expect(config.metrics).to.deep.equal({ enabled: true, host: "127.0.0.1", port: 9464 });
    expect(config.vaults[0]!.risk).to.deep.equal({
      minRebalanceIntervalSeconds: 3_600,
      maxRebalancesPerDay: 6,
      maxGasCostEth: 0.05,
    });
    expect(config.vaults[0]!).to.include({ tickTolerance: 20, deadlineSeconds: 600 });
    expect(config.vaults[0]!.gasPricePool).to.equal(undefined);
    expect(config.measure).to.deep.equal({
      volatilityHalfLifeSeconds: 3_600,
      initialVolatility: 0.6,
      rateHalfLifeSeconds: 3_600,
      riskHorizonSeconds: 86_400,
      confidence: 0.99,
    });
    expect(config.weth).to.equal("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2");
    expect(config.vaults[0]!.pool).to.equal("0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640"); // checksummed
    expect(config.vaults[0]!.strategy.params).to.deep.equal({});
    expect(config.dryRun).to.equal(false);
    expect(config.database).to.deep.equal({
      path: join(path, "..", "state", "keeper.sqlite"),
      snapshotRetentionBlocks: 7_200,
    });
    expect(config.rpc.callGasLimit).to.equal(2 ** 24);
    expect(config.signer).to.deep.equal({
      type: "keystore",
      path: join(path, "..", "keeper.keystore.json"),
      passwordEnv: "KEEPER_KEYSTORE_PASSWORD",
    });
  });

  it("reads the same config from YAML", async function () {
    const yaml = `chainId: 1
rpc:
  urls: ["${SECRET_URL}"]
signer: { type: hardhat, index: 3 }
vaultLens: "0x2222222222222222222222222222222222222222"
vaults:
  - name: a
    address: "0x1111111111111111111111111111111111111111"
    pool: "0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640"
    strategy: { name: observe, params: { width: 1200 } }
database: { path: k.sqlite }
dryRun: true
`;
    const config = await loadKeeperConfig({ path: write("keeper.yaml", yaml) });
    expect(config.signer).to.deep.equal({ type: "hardhat", index: 3 });
    expect(config.vaults[0]!.strategy.params).to.deep.equal({ width: 1200 });
    expect(config.dryRun).to.equal(true);
  });

  it("names every wrong or missing field with what was expected, in one error, and never echoes a value", async function () {
    const config = validConfig();
    delete config.chainId;
    config.confirmations = -1;
    config.metrics = { host: "0.0.0.0" };
    config.gas = { maxFeePerGasGwei: "lots", feeBumpPercent: 5 };
    const vault = (config.vaults as Record<string, unknown>[])[0]!;
    vault.address = "0x1234";
    vault.risk = { maxRebalancesPerDay: 0, typo: 1 };
    (config.rpc as Record<string, unknown>).urls = ["not a url with SECRETPART"];
    config.signer = { type: "ledger" };
    delete config.vaultLens;
    config.measure = { confidence: 1.5 };
    vault.tickTolerance = -3;
    vault.gasPricePool = "weth";
    config.database = { path: "k.sqlite", snapshotRetentionBlocks: 10 };
    const error = await refusal(write("keeper.json", JSON.stringify(config)));
    const expected = [
      "chainId: missing; expected a chain id",
      "rpc.urls[0]: expected an http(s) or ws(s) URL",
      "confirmations: expected a block count (0 or more)",
      'signer.type: expected "keystore", "env" or "hardhat"',
      "vaultLens: missing; expected a 0x-prefixed 20-byte hex address",
      "measure.confidence: expected a confidence level strictly between 0 and 1, e.g. 0.99",
      "gas.maxFeePerGasGwei: expected gwei as a positive number",
      "gas.feeBumpPercent:",
      "vaults[0].address: expected a 0x-prefixed 20-byte hex address",
      "vaults[0].risk.maxRebalancesPerDay: expected a positive count",
      "vaults[0].risk.typo: unknown field",
      "vaults[0].tickTolerance: expected a number of ticks (0 or more)",
      "vaults[0].gasPricePool: expected a 0x-prefixed 20-byte hex address",
      "database.snapshotRetentionBlocks: expected 0 (keep every snapshot) or a number of blocks of at least 256",
      'metrics.host: expected "127.0.0.1"',
    ];
    for (const text of expected) expect(error.message, text).to.include(text);
    expect(error.problems).to.have.length(expected.length);
    expect(error.message).to.not.include("SECRETPART");
    expect(error.message).to.not.include("0x1234");
    expect(error.message).to.not.include("lots");
    expect(error.message).to.include("nothing was sent");
  });

  it("refuses two vaults with one name, naming the second", async function () {
    const config = validConfig();
    const vaults = config.vaults as unknown[];
    vaults.push({ ...(vaults[0] as object) });
    const error = await refusal(write("keeper.json", JSON.stringify(config)));
    expect(error.problems).to.deep.equal([
      'vaults[1].name: expected a unique vault name, "usdc-weth-005" is used twice',
    ]);
  });

  it("reports unparsable files by position only, a missing file with what to pass, and an unknown extension", async function () {
    const broken = `{"chainId": 1, "rpc": {"urls": ["${SECRET_URL}"]}, oops}`;
    const json = await refusal(write("keeper.json", broken));
    expect(json.problems[0]).to.match(/^\(file\): not valid JSON at (line \d+ column \d+|position \d+)$/);
    expect(json.message).to.not.include("SECRET");
    const yaml = await refusal(write("keeper.yml", `rpc:\n  urls: ["${SECRET_URL}"\n  - : : bad`));
    expect(yaml.problems[0]).to.match(/^\(file\): not valid YAML at line \d+ column \d+$/);
    expect(yaml.message).to.not.include("SECRET");
    const missing = await refusal(join(tmpdir(), "no-such-keeper-config.json"));
    expect(missing.problems[0]).to.include("not found; pass --keeper-config");
    const toml = await refusal(write("keeper.toml", "chainId = 1"));
    expect(toml.problems[0]).to.equal("(file): expected a .json, .yaml or .yml file");
  });

  it("redacts RPC URLs to scheme and host", function () {
    expect(redactUrl(SECRET_URL)).to.equal("https://eth-mainnet.example/…");
    expect(redactUrl("https://user:pw@node.example:8545")).to.equal("https://node.example:8545/…");
    expect(redactUrl("http://127.0.0.1:8545")).to.equal("http://127.0.0.1:8545");
    expect(redactUrl("wss://x.example/ws?key=abc")).to.equal("wss://x.example/…");
    expect(redactUrl("nonsense SECRET")).to.equal("<unparsable URL withheld>");
  });
});
