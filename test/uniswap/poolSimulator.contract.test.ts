import { expect } from "chai";

import { CAMPAIGN_TIERS, runPoolCampaign, type CampaignOptions } from "../support/poolCampaign.js";
import { describeOnTargets } from "../support/targets.js";

/**
 * The fixed-seed share of the differential campaign against the real v3-core pool (npm bytecode, through the
 * mirror's factory). `npm run fuzz:sim` runs the same campaign with fresh seeds and many more operations.
 */
const POOLS: CampaignOptions[] = CAMPAIGN_TIERS.map((tier, i) => ({
  ...tier,
  seed: i + 1,
  // 3,600 operations in all, most where initialised ticks and bitmap words are densest.
  operations: tier.tickSpacing <= 10 ? 1000 : 800,
}));

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
