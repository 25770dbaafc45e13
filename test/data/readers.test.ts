import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";

import { DataFileError } from "../../src/data/csvFile.js";
import { readMinuteBarsCsv } from "../../src/data/readMinuteBarsCsv.js";
import { readPoolTickCsv } from "../../src/data/readPoolTickCsv.js";
import { readRawLogsCsv } from "../../src/data/readRawLogsCsv.js";
import { readRelPriceCsv } from "../../src/data/readRelPriceCsv.js";
import { DATA_DIR, dataFile } from "../support/data.js";

describe("recorded data readers", function () {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "rangekeeper-data-"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it("reads every Polygon minute-bar day: 50,390 minutes over 35 days in order, each opening within its range", function () {
    const folder = join(DATA_DIR, "polygon-usdc-weth-005-minute-2022-07");
    const days = readdirSync(folder)
      .filter((name) => name.endsWith(".csv"))
      .sort();
    expect(days).to.have.length(35);
    let minutes = 0;
    let previous = -Infinity;
    for (const day of days) {
      for (const bar of readMinuteBarsCsv(join(folder, day))) {
        expect(bar.timestamp, day).to.be.greaterThan(previous);
        expect(bar.lowestTick <= bar.openTick && bar.openTick <= bar.highestTick, day).to.equal(true);
        expect(bar.inAmount0 >= 0n && bar.inAmount1 >= 0n && bar.currentLiquidity > 0n, day).to.equal(true);
        previous = bar.timestamp;
        minutes++;
      }
    }
    expect(minutes).to.equal(50_390);
  });

  it("reads the mainnet day files: 6,234 events, 6,234 logs, 1,440 minutes of each kind", function () {
    const folder = "mainnet-usdc-weth-005-2024-01-05";
    expect(readPoolTickCsv(dataFile(folder, "pool.tick.csv"))).to.have.length(6234);
    expect(readRawLogsCsv(dataFile(folder, "raw.csv"))).to.have.length(6234);
    expect(readMinuteBarsCsv(dataFile(folder, "minute.csv"))).to.have.length(1440);
    const prices = readRelPriceCsv(dataFile(folder, "rel-price.csv"));
    expect(prices).to.have.length(1440);
    expect(prices[0]!.eth).to.be.closeTo(2269.76, 0.01);
  });

  it("names the file and the missing column", function () {
    const path = file(
      "no-close.csv",
      "timestamp,netAmount0,netAmount1,openTick,lowestTick,highestTick,inAmount0,inAmount1,currentLiquidity\n",
    );
    expect(() => readMinuteBarsCsv(path))
      .to.throw(DataFileError, `${path}: missing column closeTick`)
      .with.property("file", path);
  });

  it("names the line, the column, what was expected and what it found", function () {
    const header =
      "timestamp,netAmount0,netAmount1,closeTick,openTick,lowestTick,highestTick,inAmount0,inAmount1,currentLiquidity";
    const path = file(
      "bad.csv",
      `${header}\n2022-07-19 00:00:00,1,2,10,10,10,10,1,1,5\n2022-07-19 00:01:00,1,2,10.5,10,10,10,1,1,5\n`,
    );
    expect(() => readMinuteBarsCsv(path)).to.throw(
      DataFileError,
      `${path}: line 3, column closeTick: expected an integer, got "10.5"`,
    );
    const dates = file("date.csv", `${header}\nyesterday,1,2,10,10,10,10,1,1,5\n`);
    expect(() => readMinuteBarsCsv(dates)).to.throw(
      DataFileError,
      /line 2, column timestamp: expected a UTC date/,
    );
    const raw = file(
      "raw.csv",
      "block_number,block_timestamp,transaction_hash,transaction_index,log_index,topics,data\n1,2024-01-05 00:00:00,0xab,1,2,\"['0x12']\",0x\n",
    );
    expect(() => readRawLogsCsv(raw)).to.throw(
      DataFileError,
      /line 2, column topics: expected a list of 32-byte hex topics/,
    );
    const types = file(
      "types.csv",
      "block_number,block_timestamp,tx_type,transaction_hash,tx_index,log_index,sender,receipt,amount0,amount1,total_liquidity,total_liquidity_delta,sqrtPriceX96,current_tick,tick_lower,tick_upper,liquidity\n1,2024-01-05 00:00:00,FLASH,0xab,1,1,0x01,,1,1,1,0,1,1.0,,,\n",
    );
    expect(() => readPoolTickCsv(types)).to.throw(
      DataFileError,
      /column tx_type: expected one of SWAP, MINT, BURN, COLLECT, got "FLASH"/,
    );
    expect(() => readPoolTickCsv(join(dir, "absent.csv"))).to.throw(
      DataFileError,
      /absent\.csv: cannot be read \(ENOENT\)/,
    );
  });
});
