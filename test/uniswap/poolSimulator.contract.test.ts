import { expect } from "chai";

import { runPoolCampaign, type CampaignOptions } from "../support/poolCampaign.js";
import { describeOnTargets } from "../support/targets.js";

/**
 * The fixed-seed share of the differential campaign against the real v3-core pool (npm bytecode, through the
 * mirror's factory). `npm run fuzz:sim` runs the same campaign with fresh seeds and many more operations.
 */
const POOLS: CampaignOptions[] = [
  // Tick spacing 1: ranges a few thousand ticks wide span many 256-tick bitmap words.
  { seed: 1, fee: 100, tickSpacing: 1, operations: 1000, width: 2500 },
  { seed: 2, fee: 500, tickSpacing: 10, operations: 1000, width: 8000, feeProtocol: 4 },
  { seed: 3, fee: 3000, tickSpacing: 60, operations: 800, width: 20_000 },
  { seed: 4, fee: 10000, tickSpacing: 200, operations: 800, width: 40_000, feeProtocol: 10 },
];

describeOnTargets("pool simulator against the real UniswapV3Pool", (ctx) => {
  for (const options of POOLS) {
    it(`fee ${options.fee}: ${options.operations} random swaps, mints, burns, collects and flashes agree after every step`, async function () {
      const { connection, deployment } = ctx();
      const counts = await runPoolCampaign(connection, deployment, options);
      console.log(`      ${JSON.stringify(counts)}`);
      expect(counts.swaps).to.be.greaterThan(options.operations * 0.4);
      expect(counts.burns + counts.mints).to.be.greaterThan(options.operations * 0.2);
      expect(counts.ticksCrossed, "initialised ticks crossed").to.be.greaterThan(100);
      expect(counts.reverts, "operations refused by both").to.be.greaterThan(5);
    });
  }
});
