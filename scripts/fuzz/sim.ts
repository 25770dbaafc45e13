// `npm run fuzz:sim`: the differential campaign of the default tests with fresh seeds, for as long as
// FUZZ_SECONDS (default 600): random pools on the real UniswapV3Pool bytecode against PoolSimulator, the
// fee tiers in turn. Prints each run and the totals; a mismatch stops the run and prints its seed, so
// `FUZZ_SEED=<seed> FUZZ_FEE=<fee>` replays it.
import { randomInt } from "node:crypto";

import { network } from "hardhat";

import { connectUniswap } from "../../src/chain/connectUniswap.js";
import { CAMPAIGN_TIERS, runPoolCampaign, type CampaignOptions } from "../../test/support/poolCampaign.js";

const seconds = Number(process.env.FUZZ_SECONDS ?? 600);
const fixedSeed = process.env.FUZZ_SEED === undefined ? null : Number(process.env.FUZZ_SEED);
const fixedFee = process.env.FUZZ_FEE === undefined ? null : Number(process.env.FUZZ_FEE);

const started = Date.now();
const totals = {
  runs: 0,
  operations: 0,
  swaps: 0,
  mints: 0,
  burns: 0,
  collects: 0,
  flashes: 0,
  reverts: 0,
  ticksCrossed: 0,
  stateChecks: 0,
};
const { connection, deployment } = await connectUniswap(network, "mirror");
const testClient = await connection.viem.getTestClient();
let clean = await testClient.snapshot();
try {
  for (let run = 0; fixedSeed === null ? Date.now() - started < seconds * 1000 : run < 1; run++) {
    const seed = fixedSeed ?? randomInt(2 ** 31);
    const tier =
      CAMPAIGN_TIERS.find((t) => t.fee === fixedFee) ?? CAMPAIGN_TIERS[run % CAMPAIGN_TIERS.length]!;
    const options: CampaignOptions = { ...tier, seed, operations: 1000 };
    await testClient.revert({ id: clean });
    clean = await testClient.snapshot();
    try {
      const counts = await runPoolCampaign(connection, deployment, options);
      totals.runs++;
      totals.operations += options.operations;
      for (const key of [
        "swaps",
        "mints",
        "burns",
        "collects",
        "flashes",
        "reverts",
        "ticksCrossed",
        "stateChecks",
      ] as const) {
        totals[key] += counts[key];
      }
      console.log(
        `run ${run + 1}: fee ${tier.fee} seed ${seed}: ${options.operations} operations agree (${counts.swaps} swaps, ${counts.ticksCrossed} ticks crossed, ${counts.reverts} reverts)`,
      );
    } catch (error) {
      console.error(
        `MISMATCH in run ${run + 1}: fee ${tier.fee} seed ${seed} (replay with FUZZ_SEED=${seed} FUZZ_FEE=${tier.fee})`,
      );
      throw error;
    }
  }
} finally {
  await connection.close();
}
console.log(
  `fuzz:sim: ${totals.runs} runs, ${totals.operations} operations against the contract, 0 mismatches`,
);
console.log(`  ${JSON.stringify(totals)}`);
