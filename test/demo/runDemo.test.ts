import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { network } from "hardhat";

import { DemoError } from "../../src/demo/errors.js";
import { GAS_UNITS_TOLERANCE } from "../../src/demo/compareRuns.js";
import { DEMO_PARAMS, runDemo, type DemoStatus } from "../../src/demo/runDemo.js";
import { openKeeperDatabase } from "../../src/storage/openKeeperDatabase.js";
import { rebalancesOf } from "../../src/storage/rebalances.js";

describe("the demo: the keeper on chain and the fast backtest of the same path", function () {
  it("take the same rebalances into the same ranges and agree on every figure within the stated tolerance", async function () {
    const outDir = mkdtempSync(join(tmpdir(), "rangekeeper-demo-"));
    const statuses: DemoStatus[] = [];
    const demo = await runDemo({
      network,
      minutes: 480,
      minutesPerStep: 1,
      params: DEMO_PARAMS,
      outDir,
      onStatus: (s) => statuses.push(s),
    });
    const { chain, fast, comparison } = demo;
    for (const f of comparison.figures)
      console.log(
        `      ${f.figure}: chain ${f.chain}, fast ${f.fast}, |Δ| ${f.difference.toExponential(2)} ≤ ${f.allowed.toExponential(2)}`,
      );

    // 480 moves, the deposit block, and a block per rebalance, each read and decided by the keeper.
    expect(statuses).to.have.length(481);
    expect(demo.blocks).to.equal(481 + chain.rebalances);
    expect(chain.rebalances).to.be.at.least(2);
    expect(demo.keeperTransactions).to.equal(chain.rebalances);
    expect(comparison.sameRebalances).to.equal(true);
    expect(chain.rebalanceLog.map((r) => r.trigger)).to.deep.equal(fast.rebalanceLog.map((r) => r.trigger));
    for (const f of comparison.figures)
      expect(f.ok, `${f.figure}: ${f.difference} > ${f.allowed}`).to.equal(true);
    // The money figures agree far inside the tolerance: the vault model is the contract to the wei.
    for (const key of ["fees", "impermanentLoss", "lvr"] as const)
      expect(Math.abs(chain.attribution[key] - fast.attribution[key])).to.be.below(0.01);
    expect(Math.abs(chain.endValue - fast.endValue)).to.be.below(0.01);
    // Gas on chain is the receipts': every rebalance within the tolerance of the model's constants.
    chain.rebalanceLog.forEach((r, i) => {
      const model = i === 0 ? 330_000 : 600_000;
      expect(Math.abs(r.gasUsed - model)).to.be.at.most(GAS_UNITS_TOLERANCE);
    });
    // The keeper's own journal has them too, and the baselines ran on the same path.
    const db = openKeeperDatabase({ path: join(outDir, "keeper.sqlite") });
    try {
      expect(rebalancesOf(db, "usdc-weth")).to.have.length(chain.rebalances);
    } finally {
      db.close();
    }
    expect(demo.result.runs.map((r) => r.role)).to.deep.equal([
      "strategy",
      "strategy",
      "hold",
      "full-range",
      "passive",
    ]);
    expect(existsSync(join(outDir, "keeper.log"))).to.equal(true);
  });

  it("refuses options out of range, naming the option, before anything runs", async function () {
    const outDir = join(tmpdir(), "rangekeeper-demo-refused");
    for (const [options, field] of [
      [{ minutesPerStep: 0 }, "minutesPerStep"],
      [{ minutes: 2_000 }, "minutes"],
      [{ capital: -1 }, "capital"],
    ] as const) {
      const error = await runDemo({ network, outDir, ...options }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(DemoError);
      expect((error as DemoError).field).to.equal(field);
    }
    expect(existsSync(outDir)).to.equal(false);
  });
});
