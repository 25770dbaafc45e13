// `npm run keeper:session`: the keeper on the mirror as a user runs it, recorded as a transcript in
// docs/keeper-session.md: `hardhat node:mirror` on 127.0.0.1:8545 (a block every 2 s), `vault:deploy`, a deposit,
// `hardhat keeper --network localhost` watching and rebalancing while recorded minute closes move the price,
// `vault:status` after it, `vault:rebalance --dry-run`, and a restart that resumes without sending again.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripVTControlCharacters } from "node:util";

import { network } from "hardhat";
import { format, resolveConfig } from "prettier";
import { erc20Abi, getAddress, maxUint256, type Address } from "viem";

import { MAINNET } from "../src/chain/addresses.js";
import { movePriceTo } from "../src/chain/movePriceTo.js";
import { mainnetDeployment } from "../src/chain/uniswap.js";
import { rangeVaultAbi } from "../src/chain/vault/abi.js";
import { readMinuteBarsCsv } from "../src/data/readMinuteBarsCsv.js";
import { sharedDataFile } from "../src/data/sharedDataFile.js";
import { loadSigner } from "../src/keeper/signer/loadSigner.js";
import { decisionsOf } from "../src/storage/decisions.js";
import { openKeeperDatabase } from "../src/storage/openKeeperDatabase.js";
import { transactionsOf } from "../src/storage/transactions.js";
import { getSqrtRatioAtTick } from "../src/uniswap/tickMath.js";
import { runHardhat, type HardhatProcess } from "../test/support/runHardhat.js";
import { FAR_DEADLINE } from "../test/support/vaultActions.js";
import { mined } from "../test/support/vaultPool.js";

const PORT = 8545;
const KEEPER_INDEX = 9;
const transcript: string[] = [];
const plain = (text: string) => stripVTControlCharacters(text).trimEnd();
const note = (text: string) => {
  console.log(`\n${text}`);
  transcript.push(text, "");
};
/** A command as a shell would take it: arguments with spaces quoted. */
const commandLine = (args: string[]) =>
  `npx hardhat ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(" ")}`;
const shown = (command: string, output: string) => {
  const body = plain(output);
  console.log(`$ ${command}\n${body}`);
  transcript.push("```console", `$ ${command}`, body, "```", "");
};
/** What a long-running process printed since the last call, for the transcript. */
const since = (() => {
  const offsets = new Map<HardhatProcess, number>();
  return (process: HardhatProcess) => {
    const all = process.output();
    const from = offsets.get(process) ?? 0;
    offsets.set(process, all.length);
    return all.slice(from);
  };
})();
const run = async (args: string[]) => {
  const child = runHardhat(args);
  const { code } = await child.exited;
  if (code !== 0) throw new Error(`hardhat ${args.join(" ")} exited with ${code}:\n${child.output()}`);
  return child.output().replace(/^npm warn.*\n/gm, "");
};

await new Promise<void>((resolve, reject) => {
  const probe = createServer();
  probe.once("error", () =>
    reject(
      new Error(
        `127.0.0.1:${PORT} is in use: the session starts its own node:mirror there, for --network localhost`,
      ),
    ),
  );
  probe.listen(PORT, "127.0.0.1", () => probe.close(() => resolve()));
});

const folder = mkdtempSync(join(tmpdir(), "keeper-session-"));
const node = runHardhat(["node:mirror", "--port", String(PORT), "--block-time", "2"]);
let keeper: HardhatProcess | undefined;
try {
  await node.waitFor(/Ctrl-C to stop\./, 120_000);
  note("## 1. A chain: the mainnet mirror on 127.0.0.1:8545, a block every 2 s");
  shown(`npx hardhat node:mirror --port ${PORT} --block-time 2`, since(node));

  note("## 2. A vault on USDC/WETH 0.05 %, kept by Hardhat account 9");
  const keeperAddress = (
    await loadSigner({ signer: { type: "hardhat", index: KEEPER_INDEX }, chainId: 31337 })
  ).address;
  const deployArgs = [
    "vault:deploy",
    "--network",
    "localhost",
    "--pool",
    "usdcWeth005",
    "--name",
    "Rangekeeper USDC/WETH",
    "--symbol",
    "rkUSDCWETH",
    "--keeper",
    keeperAddress,
    "--protocol-fee-bps",
    "1000",
  ];
  const deployed = await run(deployArgs);
  shown(commandLine(deployArgs), deployed);
  const address = (label: string) =>
    getAddress(new RegExp(`^  ${label} +(0x[0-9a-fA-F]{40})`, "m").exec(deployed)![1]!) as Address;
  const [lens, vault] = [address("lens"), address("vault")];

  const connection = await network.create({ network: "localhost" });
  const { viem } = connection;
  const [, depositor, trader] = await viem.getWalletClients();
  for (const token of [MAINNET.usdc, MAINNET.weth] as Address[])
    await mined(
      viem,
      await depositor!.writeContract({
        address: token,
        abi: erc20Abi,
        functionName: "approve",
        args: [vault, maxUint256],
      }),
    );
  await mined(
    viem,
    await depositor!.writeContract({
      address: vault,
      abi: rangeVaultAbi,
      functionName: "deposit",
      args: [100_000n * 10n ** 6n, 44n * 10n ** 18n, 0n, 0n, 0n, depositor!.account.address, FAR_DEADLINE],
    }),
  );
  note(
    `Wallet 1 deposits 100,000 USDC and 44 WETH into the vault (viem, through the same node). The keeper config, in ${folder}:`,
  );
  const configPath = join(folder, "keeper.yaml");
  writeFileSync(
    configPath,
    `# rpc.urls come from --network localhost
chainId: 31337
confirmations: 1
rpc: { pollingIntervalMs: 1000 }
signer: { type: hardhat, index: ${KEEPER_INDEX} }
vaultLens: "${lens}"
vaults:
  - name: usdc-weth
    address: "${vault}"
    pool: "${MAINNET.pools.usdcWeth005}"
    strategy:
      name: passive
      params: { baseThreshold: 120, limitThreshold: 60, period: 600, minTickMove: 30 }
    risk: { minRebalanceIntervalSeconds: 600 }
    tickTolerance: 30
metrics: { port: 0 }
database: { path: keeper.sqlite }
log: { pretty: true }
`,
  );
  transcript.push("```yaml", readFileSync(configPath, "utf8").trimEnd(), "```", "");

  note(
    "## 3. The keeper: it checks the vault against the chain, watches confirmed blocks, and makes the vault's first rebalance",
  );
  const keeperArgs = ["keeper", "--keeper-config", configPath, "--network", "localhost"];
  keeper = runHardhat(keeperArgs);
  await keeper.waitFor(/rebalance mined/, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  shown(`${commandLine(keeperArgs)}   # keeps running`, since(keeper));

  note(
    "## 4. The market moves: recorded 2024-01-05 minute closes (minutes 60–110), a minute of chain time each, swapped in by wallet 2",
  );
  const bars = readMinuteBarsCsv(sharedDataFile("mainnet-usdc-weth-005-2024-01-05", "minute.csv")).slice(
    60,
    110,
  );
  const testClient = await viem.getTestClient();
  const rebalances = () => (keeper!.output().match(/rebalance mined/g) ?? []).length;
  for (const bar of bars) {
    await testClient.increaseTime({ seconds: 60 });
    await movePriceTo(viem, mainnetDeployment("mirror"), {
      pool: MAINNET.pools.usdcWeth005,
      sqrtPriceX96: getSqrtRatioAtTick(bar.closeTick),
      trader: trader!.account.address,
    });
    if (rebalances() >= 2) break;
    await new Promise((resolve) => setTimeout(resolve, 400));
  }
  await keeper.waitFor(/rebalance mined[\s\S]*rebalance mined/, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  shown("(the keeper, continued)", since(keeper));

  note("## 5. The vault after it");
  const statusArgs = ["vault:status", "--keeper-config", configPath, "--network", "localhost"];
  shown(commandLine(statusArgs), await run(statusArgs));

  note("## 6. A restart: SIGTERM, then the same command again; nothing is sent twice");
  const db = () => openKeeperDatabase({ path: join(folder, "keeper.sqlite") });
  const countTransactions = () => {
    const d = db();
    try {
      return transactionsOf(d, "usdc-weth").length;
    } finally {
      d.close();
    }
  };
  keeper.child.kill("SIGTERM");
  const stopped = await keeper.exited;
  const lastBefore = (() => {
    const d = db();
    try {
      return decisionsOf(d, "usdc-weth").at(-1)!.blockNumber;
    } finally {
      d.close();
    }
  })();
  shown("kill -TERM <keeper>", `${since(keeper)}\n(exit code ${stopped.code})`);
  const before = countTransactions();
  keeper = runHardhat(keeperArgs);
  await keeper.waitFor(/keeper started/, 60_000);
  await new Promise((resolve) => setTimeout(resolve, 6_000));
  keeper.child.kill("SIGTERM");
  await keeper.exited;
  shown(commandLine(keeperArgs), since(keeper));
  const after = db();
  const resumed = decisionsOf(after, "usdc-weth").filter((d) => d.blockNumber > lastBefore);
  after.close();
  note(
    `Transactions journaled before the restart: ${before}; after it: ${countTransactions()}. The restarted keeper went on ` +
      `from block ${lastBefore + 1n}: ${resumed.length} blocks decided (${[...new Set(resumed.map((d) => d.action))].join(", ")}: ` +
      `"${resumed[0]?.reasons[0] ?? "—"}"), nothing sent.`,
  );

  note("## 7. One decision on demand, sending nothing");
  const dryArgs = ["vault:rebalance", "--keeper-config", configPath, "--network", "localhost", "--dry-run"];
  shown(commandLine(dryArgs), await run(dryArgs));
  await connection.close();
} finally {
  keeper?.child.kill("SIGTERM");
  node.child.kill("SIGTERM");
  await node.exited;
}

const header = `# A keeper session on the mirror

Produced by \`npm run keeper:session\` (scripts/keeper-session.ts) on ${new Date().toISOString().slice(0, 10)}: every command below
was run as shown, in this order, and its output is copied unedited (colours stripped). The keeper runs as a separate
process attached with \`--network localhost\` to \`hardhat node:mirror\`; the price path is recorded mainnet data.
`;
// Formatted as every doc is (the lint gate checks it); code blocks are left as they are.
writeFileSync(
  "docs/keeper-session.md",
  await format(`${header}\n${transcript.join("\n")}\n`, {
    ...(await resolveConfig("docs/keeper-session.md")),
    parser: "markdown",
  }),
);
console.log("\nwrote docs/keeper-session.md");
