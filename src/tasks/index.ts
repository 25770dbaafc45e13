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
];
