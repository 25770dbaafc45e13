import type { NetworkConnection } from "hardhat/types/network";
import { network } from "hardhat";

import { connectUniswap, type UniswapConnection } from "../../src/chain/connectUniswap.js";
import type { MainnetForkSource } from "../../src/chain/fork/connectMainnetFork.js";
import type { UniswapDeployment, UniswapTarget } from "../../src/chain/uniswap.js";
import { reportSnapshotReads } from "./snapshotReads.js";

export interface TargetContext {
  target: UniswapTarget;
  connection: NetworkConnection;
  deployment: UniswapDeployment;
  /** On the fork target: a real RPC, or the recorded snapshot (whose server counts unrecorded reads). */
  fork?: MainnetForkSource;
}

/**
 * The mainnet state a suite needs on the fork target. Without MAINNET_RPC_URL the fork is the recorded
 * snapshot, which holds only the WBTC/WETH 0.3 % pool, its tokens and the factory at block 16,944,668:
 * - `"wbtcWeth03"`: the suite reads only that, so it runs on the snapshot (and on a real RPC);
 * - `"mainnet"` (default): it needs more (USDC, the USDC/WETH pools, the periphery), so it runs only on a real RPC.
 */
export type ForkState = "mainnet" | "wbtcWeth03";

export interface DescribeOnTargetsOptions {
  forkState?: ForkState;
}

/**
 * Registers `body` once per Uniswap target: on the mirror always, and on a mainnet fork (a real RPC when
 * MAINNET_RPC_URL is set, otherwise the recorded snapshot if `forkState` allows; skipped with the reason
 * printed once otherwise). Every test starts from the same freshly deployed state: the chain is reverted to a
 * snapshot before each one. On the recorded snapshot each test prints its unrecorded reads.
 */
export function describeOnTargets(
  title: string,
  body: (ctx: () => TargetContext) => void,
  { forkState = "mainnet" }: DescribeOnTargetsOptions = {},
): void {
  for (const target of ["mirror", "fork"] as const) {
    describe(`${title} [${target}]`, function () {
      let ctx: (TargetContext & Pick<UniswapConnection, "close">) | undefined;
      let snapshot: `0x${string}` | undefined;

      before(async function () {
        if (target === "fork" && !process.env.MAINNET_RPC_URL && forkState === "mainnet") {
          console.log(
            "      skipped on the fork: needs mainnet state beyond the recorded WBTC/WETH snapshot (set MAINNET_RPC_URL)",
          );
          this.skip();
        }
        const { connection, deployment, fork, close } = await connectUniswap(network, target);
        ctx = { target, connection, deployment, fork, close };
        snapshot = await (await connection.viem.getTestClient()).snapshot();
      });

      beforeEach(async function () {
        const testClient = await ctx!.connection.viem.getTestClient();
        await testClient.revert({ id: snapshot! });
        snapshot = await testClient.snapshot();
      });

      after(async function () {
        await ctx?.close();
      });

      reportSnapshotReads(() => ctx?.fork);
      body(() => ctx!);
    });
  }
}
