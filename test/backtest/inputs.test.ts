import { expect } from "chai";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { BacktestInputError } from "../../src/backtest/errors.js";
import { loadBacktestData } from "../../src/backtest/loadBacktestData.js";
import { runBacktest } from "../../src/backtest/runBacktest.js";
import { DataFileError } from "../../src/data/csvFile.js";
import { InvalidStrategyParamsError } from "../../src/strategies/parseStrategyParams.js";
import { UnknownStrategyError } from "../../src/strategies/registry.js";
import { dataFile } from "../support/data.js";
import { syntheticBars } from "./syntheticBars.js";

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected an error");
}

describe("backtest inputs: bad ones get a clear error naming what was expected", function () {
  const dir = mkdtempSync(join(tmpdir(), "rangekeeper-backtest-"));

  it("a missing folder or file", function () {
    const error = thrown(() => loadBacktestData(join(dir, "nope")));
    expect(error).to.be.instanceOf(BacktestInputError).with.property("field", "data");
    expect(error.message).to.match(/nope does not exist: expected a folder or a CSV file/);
  });

  it("a folder without recorded pool history, and one whose fee tier cannot be told", function () {
    const empty = mkdtempSync(join(dir, "polygon-usdc-weth-005-"));
    expect(thrown(() => loadBacktestData(empty)).message).to.match(
      /holds neither raw\.csv .* nor minute-bar files/,
    );
    const unnamed = mkdtempSync(join(dir, "history-"));
    const error = thrown(() => loadBacktestData(unnamed));
    expect(error).to.have.property("field", "fee");
    expect(error.message).to.match(/pass fee \(100, 500, 3000 or 10000\)/);
  });

  it("minute bars with a wrong column, naming the file and the columns missing", function () {
    const folder = mkdtempSync(join(dir, "polygon-usdc-weth-005-"));
    const file = join(folder, "minute.csv");
    writeFileSync(file, "timestamp,close,volume\n2022-07-19 00:00:00,1,2\n");
    const error = thrown(() => loadBacktestData(file));
    expect(error).to.be.instanceOf(DataFileError);
    expect(error.message)
      .to.contain(file)
      .and.match(/missing columns netAmount0, netAmount1, closeTick/);
  });

  it("an empty window, for both kinds of data", function () {
    const swaps = thrown(() =>
      loadBacktestData(dataFile("mainnet-usdc-weth-005-2024-01-05"), { from: 1_800_000_000 }),
    );
    expect(swaps).to.be.instanceOf(BacktestInputError).with.property("field", "window");
    expect(swaps.message).to.match(/no swap of .*raw\.csv falls in the window \[1800000000, end\]/);
    const bars = thrown(() =>
      loadBacktestData(dataFile("polygon-usdc-weth-005-minute-2022-07"), { from: 0, to: 1_000 }),
    );
    expect(bars.message).to.match(/no minute bar .* falls in the window \[0, 1000\]: expected at least two/);
    const tooShort = thrown(() =>
      runBacktest({
        data: syntheticBars({ seed: 1, bars: 10, volatility: 0.5 }),
        strategy: "volatility",
        baselines: false,
      }),
    );
    expect(tooShort.message).to.match(/window: the data ends before the warm-up of 14400 s is over/);
  });

  it("an unknown strategy lists the known ones; bad params name each field", function () {
    const data = syntheticBars({ seed: 1, bars: 300, volatility: 0.5 });
    const unknown = thrown(() => runBacktest({ data, strategy: "charm" }));
    expect(unknown).to.be.instanceOf(UnknownStrategyError);
    expect(unknown.message).to.match(
      /Unknown strategy "charm"; expected one of: passive, volatility, inventory, full-range/,
    );
    const error = thrown(() =>
      runBacktest({ data, strategy: "inventory", params: { driftBand: -1, gamma: 2 } }),
    );
    expect(error).to.be.instanceOf(InvalidStrategyParamsError);
    expect(error.message)
      .to.match(/driftBand/)
      .and.match(/gamma/);
  });
});
