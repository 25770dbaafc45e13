import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

import { expect } from "chai";
import { createPublicClient, http } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { MAINNET } from "../../src/chain/addresses.js";
import { POOL_SEEDS } from "../../src/chain/mirror/seed.js";

// The CLI itself, not npx: signals must reach Hardhat's process, not a wrapper that may not forward them.
const hardhatCli = fileURLToPath(new URL("../../node_modules/hardhat/dist/src/cli.js", import.meta.url));

describe("hardhat node:mirror", function () {
  it("serves the mirror over JSON-RPC on 127.0.0.1 to another client and stops on SIGINT", async function () {
    const child = spawn(process.execPath, [hardhatCli, "node:mirror", "--port", "0"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /JSON-RPC at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match) resolve(match[1]!);
        });
        child.on("exit", (code) =>
          reject(new Error(`node:mirror exited with ${code} before serving:\n${out}`)),
        );
      });
      const client = createPublicClient({ transport: http(url) });
      const [sqrtPriceX96, tick] = await client.readContract({
        address: MAINNET.pools.usdcWeth005,
        abi: uniswapV3PoolAbi,
        functionName: "slot0",
      });
      expect(sqrtPriceX96).to.equal(POOL_SEEDS.usdcWeth005.sqrtPriceX96);
      expect(tick).to.equal(POOL_SEEDS.usdcWeth005.tick);
      const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
      child.kill("SIGINT");
      expect(await exited).to.equal(0);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
