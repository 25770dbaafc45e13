import { network } from "hardhat";

import {
  connectWbtcWethFork,
  type ConnectWbtcWethForkParameters,
  type WbtcWethFork,
} from "../../src/chain/fork/connectWbtcWethFork.js";
import { reportSnapshotReads } from "./snapshotReads.js";

export interface DescribeOnWbtcWethForkOptions extends ConnectWbtcWethForkParameters {
  /** Revert the chain to its state after setup before every test (default). False lets tests build on each other. */
  isolateTests?: boolean;
}

/**
 * Registers a suite on the real WBTC/WETH 0.3 % pool: a mainnet fork at block 16,944,668 with funded wallet
 * accounts (connectWbtcWethFork), forked from the recorded snapshot offline and in CI, or from MAINNET_RPC_URL.
 * On the snapshot, each test prints the reads it made that the recording does not hold.
 */
export function describeOnWbtcWethFork(
  title: string,
  body: (ctx: () => WbtcWethFork) => void,
  { isolateTests = true, ...options }: DescribeOnWbtcWethForkOptions = {},
): void {
  const source = process.env.MAINNET_RPC_URL ? "MAINNET_RPC_URL" : "recorded snapshot";
  describe(`${title} [WBTC/WETH fork: ${source}]`, function () {
    let fork: WbtcWethFork | undefined;
    let snapshot: `0x${string}` | undefined;

    before(async function () {
      fork = await connectWbtcWethFork(network, options);
      if (isolateTests) snapshot = await (await fork.connection.viem.getTestClient()).snapshot();
    });

    beforeEach(async function () {
      if (!isolateTests) return;
      const testClient = await fork!.connection.viem.getTestClient();
      await testClient.revert({ id: snapshot! });
      snapshot = await testClient.snapshot();
    });

    after(async function () {
      await fork?.close();
    });

    reportSnapshotReads(() => fork?.source);
    body(() => fork!);
  });
}
