import type { NetworkConnection } from "hardhat/types/network";
import { network } from "hardhat";

import { connectUniswap } from "../../src/chain/connectUniswap.js";
import type { UniswapDeployment, UniswapTarget } from "../../src/chain/uniswap.js";

export interface TargetContext {
  target: UniswapTarget;
  connection: NetworkConnection;
  deployment: UniswapDeployment;
}

const FORK_SKIP_REASON = "MAINNET_RPC_URL is not set (fork tests need an Ethereum mainnet RPC)";

/**
 * Registers `body` once per Uniswap target: on the mirror always, and on a mainnet fork when
 * MAINNET_RPC_URL is set (otherwise reported as skipped, with the reason printed once). Every test starts
 * from the same freshly deployed state: the chain is reverted to a snapshot before each one.
 */
export function describeOnTargets(title: string, body: (ctx: () => TargetContext) => void): void {
  for (const target of ["mirror", "fork"] as const) {
    describe(`${title} [${target}]`, function () {
      let ctx: TargetContext | undefined;
      let snapshot: `0x${string}` | undefined;

      before(async function () {
        if (target === "fork" && !process.env.MAINNET_RPC_URL) {
          console.log(`      skipped on the fork: ${FORK_SKIP_REASON}`);
          this.skip();
        }
        const { connection, deployment } = await connectUniswap(network, target);
        ctx = { target, connection, deployment };
        snapshot = await (await connection.viem.getTestClient()).snapshot();
      });

      beforeEach(async function () {
        const testClient = await ctx!.connection.viem.getTestClient();
        await testClient.revert({ id: snapshot! });
        snapshot = await testClient.snapshot();
      });

      after(async function () {
        await ctx?.connection.close();
      });

      body(() => ctx!);
    });
  }
}
