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
  task("keeper", "Run the keeper with a config file until SIGINT/SIGTERM (see docs/keeper.md)")
    .addOption({
      // --config is Hardhat's own global option (the Hardhat config file).
      name: "keeperConfig",
      description: "Keeper config file (.json, .yaml or .yml)",
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
