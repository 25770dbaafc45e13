import { expect } from "chai";
import type { Hash, PublicClient } from "viem";

import { createKeeperClient } from "../../src/keeper/rpc/createKeeperClient.js";
import {
  watchConfirmedBlocks,
  type ConfirmedBlock,
  type Reorg,
} from "../../src/keeper/watch/watchConfirmedBlocks.js";
import { startFlakyRpcProxy, type FlakyRpcProxy } from "../support/flakyRpcProxy.js";
import { serveMirror, type ServedMirror } from "../support/servedMirror.js";
import { until } from "../support/until.js";

const CONFIRMATIONS = 2;

describe("watching confirmed blocks through a flaky RPC, with reorgs", function () {
  let mirror: ServedMirror;
  let proxy: FlakyRpcProxy;
  before(async function () {
    mirror = await serveMirror();
    proxy = await startFlakyRpcProxy({
      upstream: mirror.url,
      drop: 0.1,
      delay: 0.05,
      error: 0.1,
      delayMs: 300,
      seed: 42,
    });
  });
  after(async function () {
    await proxy?.close();
    await mirror?.close();
  });

  it("acts only on blocks with 2 confirmations, never on an orphaned one, and re-reads after a reorg below the depth", async function () {
    const direct = (await mirror.connection.viem.getPublicClient()) as unknown as PublicClient;
    const testClient = await mirror.connection.viem.getTestClient();
    const { client } = createKeeperClient({
      urls: [proxy.url],
      timeoutMs: 150,
      retryCount: 1,
      retryDelayMs: 5,
      pollingIntervalMs: 20,
    });

    const acted: { number: bigint; hash: Hash; confirmations: bigint }[] = [];
    const refused: bigint[] = [];
    const reorgs: Reorg[] = [];
    const errors: unknown[] = [];
    // The driver holds this while it rewrites the chain, so a block fetched before a rewrite is judged after it.
    let gate: Promise<void> = Promise.resolve();
    const controller = new AbortController();

    const onBlock = async (block: ConfirmedBlock) => {
      await gate;
      const [head, canonical] = await Promise.all([
        direct.getBlockNumber({ cacheTime: 0 }),
        direct.getBlock({ blockNumber: block.number }).catch(() => null),
      ]);
      // The keeper's reads are pinned to the block hash: a block reorganised away fails here, as its reads would.
      if (canonical?.hash !== block.hash) {
        refused.push(block.number);
        throw new Error(`block ${block.number} ${block.hash} is no longer canonical`);
      }
      acted.push({ number: block.number, hash: block.hash, confirmations: head - block.number });
    };
    const watching = watchConfirmedBlocks(client, {
      confirmations: CONFIRMATIONS,
      pollingIntervalMs: 20,
      maxBackoffMs: 100,
      onBlock,
      onReorg: async (reorg) => void reorgs.push(reorg),
      onError: (error) => void errors.push(error),
      signal: controller.signal,
    });
    const processed = (n: bigint) => acted.some((a) => a.number === n);
    const mine = async (blocks: number) => {
      for (let i = 0; i < blocks; i++) {
        await testClient.increaseTime({ seconds: 12 });
        await testClient.mine({ blocks: 1 });
      }
    };
    const rewrite = async (body: () => Promise<void>) => {
      let release!: () => void;
      gate = new Promise((resolve) => (release = resolve));
      try {
        await body();
      } finally {
        release();
      }
    };

    try {
      await mine(6);
      const start = await direct.getBlockNumber();
      await until("the watcher to reach the confirmed head", () => processed(start - 2n));

      // Shallow reorg (1 block, inside the confirmation depth): the orphan is never confirmed, so never seen.
      const shallowBase = await direct.getBlockNumber();
      const shallowId = await testClient.snapshot();
      await mine(1);
      const orphanShallow = (await direct.getBlock()).hash;
      await new Promise((resolve) => setTimeout(resolve, 100));
      await rewrite(async () => {
        await testClient.revert({ id: shallowId });
        await testClient.increaseTime({ seconds: 5 });
        await mine(3);
      });
      await until("the shallow-reorg blocks to confirm", () => processed(shallowBase + 1n));
      expect(acted.map((a) => a.hash)).to.not.include(orphanShallow);
      expect(reorgs).to.deep.equal([]);

      // Deep reorg (2 confirmed blocks replaced): detected by the parent hash, re-read from the common ancestor.
      const deepBase = await direct.getBlockNumber();
      const deepId = await testClient.snapshot();
      await mine(4);
      await until("the soon-orphaned blocks to be confirmed", () => processed(deepBase + 2n));
      const orphanDeep = acted.filter((a) => a.number > deepBase).map((a) => a.hash);
      await rewrite(async () => {
        await testClient.revert({ id: deepId });
        await testClient.increaseTime({ seconds: 5 });
        await mine(6);
      });
      const end = await direct.getBlockNumber();
      await until(
        "the new chain to be confirmed",
        () => processed(end - 2n) && acted.at(-1)!.number === end - 2n,
      );

      expect(reorgs).to.have.length(1);
      expect(reorgs[0]).to.deep.include({
        commonAncestor: deepBase,
        depth: Number(reorgs[0]!.orphanedTo - deepBase),
      });
      expect(reorgs[0]!.orphanedTo >= deepBase + 2n, "orphaned up to a confirmed block").to.equal(true);
      // Every block acted on had the confirmations at that moment and is, for the last time it was acted on, canonical now.
      for (const a of acted)
        expect(
          a.confirmations >= BigInt(CONFIRMATIONS),
          `block ${a.number} had ${a.confirmations} confirmations`,
        ).to.equal(true);
      const latestHash = new Map(acted.map((a) => [a.number, a.hash]));
      for (let n = start - 2n; n <= end - 2n; n++) {
        expect(latestHash.get(n), `block ${n}`).to.equal((await direct.getBlock({ blockNumber: n })).hash);
      }
      expect(orphanDeep.length).to.be.greaterThanOrEqual(2);
      for (const hash of orphanDeep) expect([...latestHash.values()]).to.not.include(hash);
      // Blocks were offered in order, each once per chain.
      const numbers = acted.map((a) => a.number);
      expect(numbers.filter((n) => n <= deepBase)).to.deep.equal([
        ...new Set(numbers.filter((n) => n <= deepBase)),
      ]);

      const injected = proxy.injected.dropped + proxy.injected.delayed + proxy.injected.errored;
      console.log(
        `      ${acted.length} blocks acted on, ${reorgs.length} reorg (depth ${reorgs[0]!.depth}), ${refused.length} stale block(s) refused, ` +
          `${errors.length} errors survived; proxy: ${JSON.stringify(proxy.injected)}`,
      );
      expect(injected).to.be.greaterThan(10);
      expect(errors.length).to.be.greaterThan(0);
    } finally {
      controller.abort();
      await watching;
    }
  });
});
