import { expect } from "chai";

import { MAINNET } from "../../src/chain/addresses.js";
import { POOL_SEEDS } from "../../src/chain/mirror/seed.js";
import { movePriceTo } from "../../src/chain/movePriceTo.js";
import { runHardhat } from "../support/runHardhat.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";

describe("hardhat pool:watch", function () {
  let mirror: ServedMirror;
  before(async function () {
    mirror = await serveMirror();
  });
  after(async function () {
    await mirror?.close();
  });

  it("prints each block's price, tick and liquidity and the pool's swaps, then stops after --blocks", async function () {
    const watch = runHardhat([
      "pool:watch",
      "--rpc-url",
      mirror.url,
      "--pool",
      "usdcWeth005",
      "--blocks",
      "3",
      "--interval",
      "50",
    ]);
    try {
      await watch.waitFor(/^block \d+ .*$/m);
      const [trader] = await mirror.connection.viem.getWalletClients();
      const moved = await movePriceTo(mirror.connection.viem, mirror.deployment, {
        pool: MAINNET.pools.usdcWeth005,
        sqrtPriceX96: (POOL_SEEDS.usdcWeth005.sqrtPriceX96 * 999n) / 1000n,
        trader: trader!.account.address,
      });
      await (await mirror.connection.viem.getTestClient()).mine({ blocks: 1 });
      expect(await watch.exited).to.deep.equal({ code: 0, signal: null });
      const out = watch.output();
      expect(out).to.include(
        `Watching pool ${MAINNET.pools.usdcWeth005} (USDC/WETH, fee 0.05 %) on http://127.0.0.1:${mirror.server.port}, 0 confirmation(s)`,
      );
      const blocks = [
        ...out.matchAll(
          /^block (\d+) {2}1 USDC = ([\d.e-]+) WETH {2}1 WETH = ([\d.]+) USDC {2}tick (-?\d+) {2}liquidity (\d+)$/gm,
        ),
      ];
      expect(blocks, out).to.have.length(3);
      expect(Number(blocks[0]![3])).to.be.closeTo(2262, 30); // ETH in USDC on 2024-01-05
      expect(Number(blocks[0]![4]), out).to.equal(POOL_SEEDS.usdcWeth005.tick);
      // movePriceTo approves the router first (one block), then swaps (the next).
      expect(Number(blocks[2]![4]), out).to.equal(moved.tick);
      expect(out).to.match(
        new RegExp(`^ {2}swap [\\d.]+ USDC, -[\\d.]+ WETH → tick ${moved.tick} {2}tx ${moved.hash}$`, "m"),
      );
    } finally {
      watch.child.kill("SIGKILL");
    }
  });

  it("refuses a pool that is neither an address nor a known name, saying what it takes", async function () {
    const watch = runHardhat(["pool:watch", "--pool", "eth-usdc"]);
    const { code } = await watch.exited;
    expect(code).to.not.equal(0);
    expect(watch.output()).to.include(
      '--pool must be a pool address (0x…) or one of usdcWeth005, usdcWeth03; got "eth-usdc"',
    );
  });
});
