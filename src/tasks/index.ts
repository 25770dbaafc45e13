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
];
