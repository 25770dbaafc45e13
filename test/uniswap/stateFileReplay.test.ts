import { expect } from "chai";

import { readPoolEventsFile, readPoolStateFile } from "../../src/data/poolStateFile.js";
import { poolEventsFromFile } from "../../src/uniswap/poolEventsFromFile.js";
import { poolStateFromFile } from "../../src/uniswap/poolStateFromFile.js";
import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { applyPoolEvent, emptyReplayReport } from "../../src/uniswap/replayPoolEvents.js";
import { dataFile } from "../support/data.js";

const FOLDER = "mainnet-wbtc-weth-03-state-replay";

describe("simulator from a recorded state file (WBTC/WETH 0.3 %, blocks 16,944,668 → 16,951,788)", function () {
  it("replays the 379 recorded events exactly and ends at the recorded end state", function () {
    const start = readPoolStateFile(dataFile(FOLDER, "pool_state_block16944668.json"));
    const end = readPoolStateFile(dataFile(FOLDER, "pool_state_block16951788.json"));
    const events = poolEventsFromFile(readPoolEventsFile(dataFile(FOLDER, "events_16944669_16951788.json")));
    const sim = new PoolSimulator(poolStateFromFile(start));
    const report = emptyReplayReport();
    const tracked = new Set<string>();
    let burns = 0;

    for (const [index, event] of events.entries()) {
      if (event.type === "burn") {
        // The recording's Burn amount0 repeats the liquidity (a defect of the file): check the rest.
        sim.setTime(event.timestamp!);
        if (sim.position(event.owner, event.tickLower, event.tickUpper).liquidity < event.amount) {
          sim.trackExistingPosition(event);
        }
        const paid = sim.burn(event);
        expect(paid.amount1, `burn #${index} amount1`).to.equal(event.amount1);
        burns++;
        continue;
      }
      const divergence = applyPoolEvent(sim, event, index, report, {}, tracked);
      expect(divergence, divergence?.message).to.equal(null);
    }

    expect([report.swaps, report.mints, burns]).to.deep.equal([329, 19, 31]);
    expect(sim.sqrtPriceX96).to.equal(end.slot0.sqrtPriceX96);
    expect(sim.tick).to.equal(end.slot0.tick);
    expect(sim.liquidity).to.equal(end.liquidity);
    expect(sim.feeGrowthGlobal0X128).to.equal(end.feeGrowthGlobal0X128);
    expect(sim.feeGrowthGlobal1X128).to.equal(end.feeGrowthGlobal1X128);
    // The recordings cover ±300 spacings around each block's price: compare the ticks both of them cover.
    const covered = (tick: number, file: typeof start) => {
      const ticks = [...file.ticks.keys()];
      return tick >= Math.min(...ticks) && tick <= Math.max(...ticks);
    };
    let compared = 0;
    for (const [tick, recorded] of end.ticks) {
      if (!recorded.initialized || !covered(tick, start)) continue;
      const state = sim.tickState(tick);
      expect(state?.liquidityGross, `tick ${tick}`).to.equal(recorded.liquidityGross);
      expect(state?.liquidityNet, `tick ${tick}`).to.equal(recorded.liquidityNet);
      expect(state?.feeGrowthOutside0X128, `tick ${tick}`).to.equal(recorded.feeGrowthOutside0X128);
      expect(state?.feeGrowthOutside1X128, `tick ${tick}`).to.equal(recorded.feeGrowthOutside1X128);
      compared++;
    }
    expect(compared).to.equal(356);
  });
});
