import { expect } from "chai";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { dataFile } from "../support/data.js";
import { runHardhat } from "../support/runHardhat.js";

describe("hardhat backtest", function () {
  it("sweeps a param over a window of minute bars, prints the tables with the best marked, writes the report", async function () {
    const out = mkdtempSync(join(tmpdir(), "backtest-task-"));
    const task = runHardhat([
      "backtest",
      "--data",
      dataFile("polygon-usdc-weth-005-minute-2022-07"),
      "--from",
      "2022-08-01",
      "--to",
      "2022-08-03",
      "--strategy",
      "passive",
      "--sweep",
      "width=600,1800",
      "--out",
      out,
    ]);
    expect(await task.exited).to.deep.equal({ code: 0, signal: null });
    const output = task.output();
    expect(output).to.match(/Sweep of baseThreshold for passive \(2 runs\)/);
    expect(output.match(/★ best/g)).to.have.length(1);
    expect(output)
      .to.match(/│ passive \(Charm\) .*│/)
      .and.match(/│ hold .*│/)
      .and.match(/│ full range .*│/);
    expect(existsSync(join(out, "report.html"))).to.equal(true);
    const result = JSON.parse(readFileSync(join(out, "result.json"), "utf8")) as { runs: { name: string }[] };
    expect(result.runs.map((r) => r.name)).to.deep.equal([
      "passive",
      "hold",
      "full range",
      "passive (Charm)",
    ]);
  });

  it("ends bad input with one line naming what was expected and exit code 1", async function () {
    const task = runHardhat([
      "backtest",
      "--data",
      dataFile("polygon-usdc-weth-005-minute-2022-07"),
      "--out",
      tmpdir(),
      "--params",
      "{riskAversion: 5}",
    ]);
    expect((await task.exited).code).to.equal(1);
    expect(task.output().trim().split("\n").at(-1)).to.match(/^backtest: --params: expected JSON/);
    const unknown = runHardhat([
      "backtest",
      "--data",
      dataFile("polygon-usdc-weth-005-minute-2022-07"),
      "--out",
      tmpdir(),
      "--strategy",
      "charm",
    ]);
    expect((await unknown.exited).code).to.equal(1);
    expect(unknown.output()).to.match(
      /backtest: Unknown strategy "charm"; expected one of: passive, volatility, inventory, full-range/,
    );
  });
});
