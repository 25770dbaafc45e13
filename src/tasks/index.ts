import { task } from "hardhat/config";
import { ArgumentType } from "hardhat/types/arguments";

export const tasks = [
  task(
    "node:mirror",
    "Run a JSON-RPC node on 127.0.0.1 with Uniswap v3 and the USDC/WETH pools at their mainnet addresses",
  )
    .addOption({
      name: "port",
      description: "Port on 127.0.0.1 to listen on (0 picks a free one)",
      type: ArgumentType.INT,
      defaultValue: 8545,
    })
    .addOption({
      name: "blockTime",
      description:
        "Also mine a block every this many seconds, as a real chain does (0: only when a transaction arrives)",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .setAction(() => import("./nodeMirror.js"))
    .build(),
  task("pool:watch", "Print a Uniswap v3 pool's price, tick, liquidity and swaps/mints/burns, block by block")
    .addOption({
      name: "pool",
      description: "Pool address, or usdcWeth005 / usdcWeth03 (mainnet addresses, also on the mirror)",
      defaultValue: "usdcWeth005",
    })
    .addOption({
      name: "rpcUrl",
      description: "JSON-RPC URL to watch through (default: the --network connection)",
      defaultValue: "",
    })
    .addOption({
      name: "confirmations",
      description: "Blocks on top of a block before it is shown",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .addOption({
      name: "blocks",
      description: "Stop after this many blocks (0: until Ctrl-C)",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .addOption({
      name: "interval",
      description: "Polling interval in milliseconds",
      type: ArgumentType.INT,
      defaultValue: 1000,
    })
    .setAction(() => import("./poolWatch.js"))
    .build(),
  // Keeper and vault tasks (issue 5).
  task(
    "keeper",
    "Run the keeper with a config file until SIGINT/SIGTERM: watch, measure, decide, rebalance (see docs/keeper.md)",
  )
    .addOption({
      // --config is Hardhat's own global option (the Hardhat config file).
      name: "keeperConfig",
      description:
        "Keeper config file (.json, .yaml or .yml); with --network, that network replaces its rpc.urls",
      defaultValue: "",
    })
    .addFlag({ name: "dryRun", description: "Decide, simulate and sign, but send nothing" })
    .addFlag({
      name: "allowRawKey",
      description: 'Accept a raw private key from the environment (signer.type "env")',
    })
    .setAction(() => import("./keeper.js"))
    .build(),
  task(
    "vault:deploy",
    "Deploy a RangeVaultFactory and RangeVaultLens (or use --factory) and a RangeVault on a Uniswap v3 pool; prints the addresses",
  )
    .addOption({
      name: "pool",
      description:
        "Pool address, or usdcWeth005 / usdcWeth03 / wbtcWeth03 (mainnet addresses, also on the mirror)",
      defaultValue: "usdcWeth005",
    })
    .addOption({ name: "name", description: "Share token name", defaultValue: "Rangekeeper vault" })
    .addOption({
      name: "symbol",
      description: "Share token symbol (also the vault's name in the printed config)",
      defaultValue: "rkVAULT",
    })
    .addOption({
      name: "keeper",
      description: "Address allowed to rebalance; empty: the deploying account",
      defaultValue: "",
    })
    .addOption({
      name: "owner",
      description: "Owner (parameters, pause, emergency exit); empty: the deploying account",
      defaultValue: "",
    })
    .addOption({
      name: "treasury",
      description: "Receiver of protocol fees; empty: the owner",
      defaultValue: "",
    })
    .addOption({
      name: "protocolFeeBps",
      description: "Protocol share of pool fees, basis points (0 to 2000)",
      type: ArgumentType.INT,
      defaultValue: 0,
    })
    .addOption({
      name: "params",
      description:
        'Vault parameters over the defaults, as JSON, e.g. \'{"maxTwapDeviation":50,"minRebalanceInterval":600}\'',
      defaultValue: "",
    })
    .addOption({
      name: "factory",
      description: "An existing RangeVaultFactory to deploy through",
      defaultValue: "",
    })
    .addOption({
      name: "lens",
      description: "With --factory: the RangeVaultLens to use; empty: deploy one",
      defaultValue: "",
    })
    .addOption({
      name: "rpcUrl",
      description:
        "JSON-RPC URL with unlocked accounts, e.g. hardhat node:mirror's; empty: the --network connection",
      defaultValue: "",
    })
    .setAction(() => import("./vaultDeploy.js"))
    .build(),
  task(
    "vault:status",
    "Print each configured vault's positions, amounts, value, drift, IL, LVR, fees, VaR/CVaR, range and last rebalance",
  )
    .addOption({
      name: "keeperConfig",
      description: "Keeper config file: vaults, lens, RPC and database (read-only here)",
      defaultValue: "",
    })
    .addOption({ name: "vault", description: "Only this vault (its name in the config)", defaultValue: "" })
    .setAction(() => import("./vaultStatus.js"))
    .build(),
  task(
    "vault:rebalance",
    "Make one decision with a vault's configured strategy, show its reasons and economics, and send the rebalance",
  )
    .addOption({
      name: "keeperConfig",
      description: "Keeper config file (its database is used and locked)",
      defaultValue: "",
    })
    .addOption({
      name: "vault",
      description: "The vault, by its name in the config (needed when it has several)",
      defaultValue: "",
    })
    .addFlag({ name: "dryRun", description: "Decide, simulate and sign, but send nothing" })
    .addFlag({
      name: "allowRawKey",
      description: 'Accept a raw private key from the environment (signer.type "env")',
    })
    .setAction(() => import("./vaultRebalance.js"))
    .build(),
  task(
    "fork:snapshot",
    "Build the recorded mainnet snapshot (WBTC/WETH 0.3 % at block 16,944,668) from the shared data",
  )
    .addOption({
      name: "out",
      description: "File to write the snapshot to (JSON)",
      type: ArgumentType.STRING,
      defaultValue: "",
    })
    .setAction(() => import("./forkSnapshot.js"))
    .build(),
  task(
    "fork:serve",
    "Serve a recorded mainnet snapshot as an Ethereum JSON-RPC endpoint on 127.0.0.1, to fork from",
  )
    .addOption({
      name: "snapshot",
      description: "Snapshot file from fork:snapshot (default: build it from the shared data)",
      type: ArgumentType.STRING,
      defaultValue: "",
    })
    .addOption({
      name: "port",
      description: "Port on 127.0.0.1 to listen on (0 picks a free one)",
      type: ArgumentType.INT,
      defaultValue: 8546,
    })
    .setAction(() => import("./forkServe.js"))
    .build(),
  // Backtests (src/backtest, src/report): strategies of the registry over recorded history, with a report.
  task(
    "demo",
    "The end-to-end demo (npm start): the keeper keeps a vault on the in-process mirror through 2024-01-05's recorded prices, then the report and the fast backtest of the same path",
  )
    .addOption({
      name: "minutesPerBlock",
      description: "Recorded minutes per block: the price moves to every n-th minute's close",
      type: ArgumentType.INT,
      defaultValue: 1,
    })
    .addOption({
      name: "minutes",
      description: "Minutes of the day replayed from 00:00 UTC (at most 1440)",
      type: ArgumentType.INT,
      defaultValue: 1440,
    })
    .addOption({
      name: "capital",
      description: "USDC value deposited into the vault",
      type: ArgumentType.INT,
      defaultValue: 1_000_000,
    })
    .addOption({
      name: "strategy",
      description: "Strategy of the registry: inventory, volatility, passive or full-range",
      defaultValue: "inventory",
    })
    .addOption({
      name: "params",
      description: "Strategy params as JSON (default for inventory: the demo's, see src/demo/runDemo.ts)",
      defaultValue: "",
    })
    .addOption({
      name: "out",
      description: "Folder for the report, the keeper's database and log",
      defaultValue: "reports/demo",
    })
    .setAction(() => import("./demo.js"))
    .build(),
  task(
    "backtest",
    "Backtest a strategy over recorded pool history (swap events or minute bars) against holding, a full range and Charm's passive rule; writes an HTML report",
  )
    .addOption({
      name: "data",
      description:
        "Folder or CSV file: raw.csv of pool logs (swap by swap) or minute bars, e.g. ../shared/data/polygon-usdc-weth-005-minute-2022-07",
      defaultValue: "",
    })
    .addOption({
      name: "strategy",
      description: "Strategy of the registry: inventory, volatility, passive or full-range",
      defaultValue: "inventory",
    })
    .addOption({
      name: "params",
      description: "Strategy params as JSON, e.g. '{\"riskAversion\":5}'",
      defaultValue: "",
    })
    .addOption({
      name: "sweep",
      description:
        "One param over values, <param>=<v1,v2,...> (width = the strategy's width param); prints a table and marks the best",
      defaultValue: "",
    })
    .addOption({ name: "out", description: "Folder for report.html and result.json", defaultValue: "" })
    .addOption({
      name: "from",
      description: "Start of the window (UTC date or Unix seconds)",
      defaultValue: "",
    })
    .addOption({ name: "to", description: "End of the window (UTC date or Unix seconds)", defaultValue: "" })
    .addOption({
      name: "capital",
      description: "Starting value in numeraire units (default 1,000,000 of a stablecoin)",
      defaultValue: "",
    })
    .addOption({
      name: "gasGwei",
      description: "Gas price in gwei for every rebalance (default 20)",
      defaultValue: "",
    })
    .addOption({
      name: "numeraire",
      description: "token0 or token1 (default: the stablecoin)",
      defaultValue: "",
    })
    .addFlag({ name: "noBaselines", description: "Run the strategy alone" })
    .setAction(() => import("./backtest.js"))
    .build(),
];
