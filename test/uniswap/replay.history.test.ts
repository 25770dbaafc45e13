import { expect } from "chai";

import { readMinuteBarsCsv } from "../../src/data/readMinuteBarsCsv.js";
import { readPoolTickCsv } from "../../src/data/readPoolTickCsv.js";
import { readRawLogsCsv } from "../../src/data/readRawLogsCsv.js";
import { readRelPriceCsv } from "../../src/data/readRelPriceCsv.js";
import { decodePoolLog } from "../../src/uniswap/decodePoolLog.js";
import { PoolRevertError } from "../../src/uniswap/errors.js";
import type { PoolEvent } from "../../src/uniswap/poolEvent.js";
import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { reconstructPoolState } from "../../src/uniswap/reconstructPoolState.js";
import { applyPoolEvent, emptyReplayReport, replayPoolEvents } from "../../src/uniswap/replayPoolEvents.js";
import { dataFile } from "../support/data.js";

const DAYS = [
  {
    folder: "mainnet-usdc-weth-005-2024-01-05",
    fee: 500,
    tickSpacing: 10,
    swaps: 6046,
    mints: 54,
    burns: 69,
    collects: 65,
  },
  {
    folder: "mainnet-usdc-weth-03-2024-01-05",
    fee: 3000,
    tickSpacing: 60,
    swaps: 267,
    mints: 4,
    burns: 17,
    collects: 16,
  },
] as const;

function decodeDay(folder: string): PoolEvent[] {
  return readRawLogsCsv(dataFile(folder, "raw.csv")).map((log) => {
    const event = decodePoolLog(log);
    if (event === null) throw new Error(`raw.csv of ${folder} holds a pool event that moves nothing`);
    return event;
  });
}

describe("replay of recorded mainnet history", function () {
  for (const day of DAYS) {
    describe(day.folder, function () {
      let events: PoolEvent[];
      before(function () {
        events = decodeDay(day.folder);
      });

      it("decodes raw.csv with viem into exactly the events of pool.tick.csv", function () {
        const rows = readPoolTickCsv(dataFile(day.folder, "pool.tick.csv"));
        expect(events.length).to.equal(rows.length);
        for (const [i, event] of events.entries()) {
          const row = rows[i]!;
          const label = `row ${i} (block ${row.blockNumber}, log ${row.logIndex})`;
          expect(
            [
              event.type.toUpperCase(),
              event.blockNumber,
              event.logIndex,
              event.transactionHash,
              event.timestamp,
            ],
            label,
          ).to.deep.equal([row.txType, row.blockNumber, row.logIndex, row.transactionHash, row.timestamp]);
          if (event.type === "swap") {
            expect(
              [
                event.sender.toLowerCase(),
                event.recipient.toLowerCase(),
                event.amount0,
                event.amount1,
                event.sqrtPriceX96,
                event.tick,
                event.liquidity,
              ],
              label,
            ).to.deep.equal([
              row.sender,
              row.receipt,
              row.amount0,
              row.amount1,
              row.sqrtPriceX96,
              row.currentTick,
              row.totalLiquidity,
            ]);
          } else if (event.type === "mint" || event.type === "burn") {
            // pool.tick.csv keeps a Mint's sender (not its owner) and a Burn's owner in the same column.
            const who = event.type === "mint" ? event.sender : event.owner;
            expect(
              [
                who.toLowerCase(),
                event.tickLower,
                event.tickUpper,
                event.amount,
                event.amount0,
                event.amount1,
              ],
              label,
            ).to.deep.equal([
              row.sender,
              row.tickLower,
              row.tickUpper,
              row.liquidity,
              row.amount0,
              row.amount1,
            ]);
          } else if (event.type === "collect") {
            expect(
              [
                event.owner.toLowerCase(),
                event.recipient.toLowerCase(),
                event.tickLower,
                event.tickUpper,
                event.amount0,
                event.amount1,
              ],
              label,
            ).to.deep.equal([
              row.sender,
              row.receipt,
              row.tickLower,
              row.tickUpper,
              row.amount0,
              row.amount1,
            ]);
          }
        }
      });

      it(`replays all ${day.swaps} swaps from a state rebuilt from the events: every price, tick, liquidity and amount to the wei`, function () {
        const rebuilt = reconstructPoolState({ events, fee: day.fee, tickSpacing: day.tickSpacing });
        console.log(
          `      rebuilt: ${rebuilt.ticksFromLiquidity} ticks from reported liquidity, ${rebuilt.ticksFromAmounts} placed by amounts`,
        );
        // Most of the map must come from the liquidity the swaps report, not from fitting amounts.
        expect(rebuilt.ticksFromAmounts).to.be.at.most(Math.max(8, rebuilt.ticksFromLiquidity / 4));
        const sim = new PoolSimulator(rebuilt.state);
        const report = replayPoolEvents(sim, events);
        expect(report.divergence).to.equal(null);
        expect([report.swaps, report.mints, report.burns, report.collects]).to.deep.equal([
          day.swaps,
          day.mints,
          day.burns,
          day.collects,
        ]);
        expect(
          report.swapKinds.exactInput + report.swapKinds.exactOutput + report.swapKinds.priceLimited,
        ).to.equal(day.swaps);
        const last = events.findLast((e) => e.type === "swap")!;
        expect([sim.sqrtPriceX96, sim.tick, sim.liquidity]).to.deep.equal([
          last.sqrtPriceX96,
          last.tick,
          last.liquidity,
        ]);
      });

      it("agrees with the minute files at every minute's close: rel-price.csv's price, minute.csv's tick", function () {
        const rebuilt = reconstructPoolState({ events, fee: day.fee, tickSpacing: day.tickSpacing });
        const sim = new PoolSimulator(rebuilt.state);
        const closes = new Map<number, [bigint, number]>();
        const report = emptyReplayReport();
        const tracked = new Set<string>();
        let minute: number | null = null;
        for (const [i, event] of events.entries()) {
          const start = Math.floor(event.timestamp! / 60) * 60;
          if (minute !== null && start !== minute) closes.set(minute, [sim.sqrtPriceX96, sim.tick]);
          minute = start;
          expect(applyPoolEvent(sim, event, i, report, {}, tracked)).to.equal(null);
        }
        closes.set(minute!, [sim.sqrtPriceX96, sim.tick]);
        // Minutes without an event repeat the last close in the files; compare those too.
        let last: [bigint, number] | undefined;
        let prices = 0;
        for (const row of readRelPriceCsv(dataFile(day.folder, "rel-price.csv"))) {
          last = closes.get(row.timestamp) ?? last;
          if (last === undefined) continue;
          expect(row.sqrtPriceX96, `rel-price.csv ${new Date(row.timestamp * 1000).toISOString()}`).to.equal(
            last[0],
          );
          prices++;
        }
        expect(prices).to.be.greaterThan(1000);
        if (!day.folder.includes("-005-")) return;
        let ticks = 0;
        for (const bar of readMinuteBarsCsv(dataFile(day.folder, "minute.csv"))) {
          const close = closes.get(bar.timestamp);
          if (close === undefined) continue;
          expect(bar.closeTick, `minute.csv ${new Date(bar.timestamp * 1000).toISOString()}`).to.equal(
            close[1],
          );
          ticks++;
        }
        expect(ticks).to.be.greaterThan(1000);
      });
    });
  }

  it("lets a backtester trade the recorded flow against a pool that also holds its own position", function () {
    const events = decodeDay("mainnet-usdc-weth-03-2024-01-05");
    const { state } = reconstructPoolState({ events, fee: 3000, tickSpacing: 60 });
    const reference = new PoolSimulator(state);
    const withVault = new PoolSimulator(state);
    const range = {
      owner: "0xvault",
      tickLower: Math.floor(state.tick / 60) * 60 - 600,
      tickUpper: Math.floor(state.tick / 60) * 60 + 600,
    };
    withVault.mint({ ...range, amount: 10n ** 18n });
    let skipped = 0;
    const report = replayPoolEvents(reference, events, {
      onApplied: (event, _index, swap) => {
        if (event.timestamp !== null) withVault.setTime(event.timestamp);
        if (swap !== null) {
          // A trader's price limit may already be passed in the deeper pool: that trade does not happen.
          try {
            withVault.swap(swap);
          } catch (error) {
            if (!(error instanceof PoolRevertError && error.reason === "SPL")) throw error;
            skipped++;
          }
        } else if (event.type === "mint") withVault.mint(event);
        else if (event.type === "burn" && event.amount > 0n) {
          // Positions from before the start: recorded as the reference replay records them.
          const held = withVault.position(event.owner, event.tickLower, event.tickUpper).liquidity;
          if (held < event.amount) withVault.trackExistingPosition({ ...event, amount: event.amount - held });
          withVault.burn(event);
        }
      },
    });
    expect(report.divergence).to.equal(null);
    expect(skipped).to.be.below(report.swapKinds.priceLimited + 1);
    const fees = withVault.positionFees(range.owner, range.tickLower, range.tickUpper);
    expect(fees.amount0 > 0n && fees.amount1 > 0n).to.equal(true);
    // Minted at the start, when all fee growth was 0: the vault is owed its liquidity times the growth inside.
    const inside = withVault.feeGrowthInside(range.tickLower, range.tickUpper);
    expect(fees.amount0).to.equal((inside.feeGrowthInside0X128 * 10n ** 18n) >> 128n);
  });

  it("reports the first event it cannot reproduce, what differs and by how much, and stops there", function () {
    const events = decodeDay("mainnet-usdc-weth-03-2024-01-05");
    const rebuilt = reconstructPoolState({ events, fee: 3000, tickSpacing: 60 });
    const index = events.findIndex((e, i) => i > 100 && e.type === "swap");
    const tampered = events.map((e, i) =>
      i === index && e.type === "swap" ? { ...e, amount1: e.amount1 - 1n } : e,
    );
    const sim = new PoolSimulator(rebuilt.state);
    const report = replayPoolEvents(sim, tampered);
    expect(report.applied).to.equal(index);
    expect(report.divergence?.index).to.equal(index);
    expect(report.divergence?.field).to.be.oneOf(["amount0", "amount1", "sqrtPriceX96"]);
    expect(report.divergence?.message).to.match(
      new RegExp(`event ${index} \\(swap at block ${events[index]!.blockNumber}`),
    );
    // The simulator stopped just before the bad event (its clock aside): the events before it replay to the same state.
    const clean = new PoolSimulator(rebuilt.state);
    replayPoolEvents(clean, events.slice(0, index));
    expect({ ...sim.snapshot(), blockTimestamp: 0 }).to.deep.equal({
      ...clean.snapshot(),
      blockTimestamp: 0,
    });
  });
});
