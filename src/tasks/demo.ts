import { resolve } from "node:path";

import Table from "cli-table3";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { clock, DEMO_PARAMS, runDemo, type DemoStatus } from "../demo/runDemo.js";
import { DemoError } from "../demo/errors.js";
import { formatBacktestTable } from "../report/formatBacktestTable.js";
import { writeReport } from "../report/writeReport.js";
import { InvalidStrategyParamsError } from "../strategies/parseStrategyParams.js";
import { UnknownStrategyError } from "../strategies/registry.js";
import { buildContracts } from "./buildContracts.js";
import { InvalidOptionError, parseJsonOption } from "./parseJsonOption.js";

interface DemoArguments {
  minutesPerBlock: number;
  minutes: number;
  capital: number;
  strategy: string;
  params: string;
  out: string;
}

const usd = (x: number) => x.toLocaleString("en-US", { maximumFractionDigits: 0 });
const signed = (x: number, digits = 2) => `${x >= 0 ? "+" : ""}${x.toFixed(digits)}`;

function statusLine(s: DemoStatus): string {
  const base = s.base === null ? "none" : `${usd(s.base[0])}–${usd(s.base[1])}`;
  return (
    `${clock(s.timestamp)} UTC  ETH ${s.ethPrice.toFixed(2)}  base ${base}${s.inRange ? "" : " (out)"}  ` +
    `drift ${signed(s.drift * 100, 1)}%  IL ${signed(s.impermanentLoss * 100, 3)}%  LVR $${usd(s.lvr)}  ` +
    `fees $${usd(s.fees)}  rebalances ${s.rebalances}  [${s.step}/${s.steps}]`
  );
}

/**
 * `hardhat demo` (`npm start`): the keeper keeping a vault on the in-process chain through the recorded
 * 2024-01-05 USDC/WETH price path, with a live status line, then the backtest's report and the fast backtest of
 * the same path beside it. Bad options end with one line naming the option and exit code 1.
 */
export default async function demo(args: DemoArguments, hre: HardhatRuntimeEnvironment) {
  await buildContracts(hre);
  const tty = process.stdout.isTTY === true;
  let lastHour = -1;
  const out = resolve(args.out);
  console.log(
    `Rangekeeper demo: a RangeVault on the USDC/WETH 0.05 % pool of the mainnet mirror (in-process chain), kept by\n` +
      `the keeper over HTTP on 127.0.0.1, while 2024-01-05's recorded closes move the price, one block every ` +
      `${args.minutesPerBlock} recorded minute${args.minutesPerBlock === 1 ? "" : "s"}.\n`,
  );
  try {
    const params = parseJsonOption("--params", args.params);
    if (params !== undefined && (typeof params !== "object" || params === null || Array.isArray(params)))
      throw new InvalidOptionError(
        "--params",
        `expected a JSON object of strategy parameters, got ${args.params}`,
      );
    const demoRun = await runDemo({
      network: hre.network,
      minutesPerStep: args.minutesPerBlock,
      minutes: args.minutes,
      capital: args.capital,
      strategy: args.strategy,
      params:
        (params as Record<string, unknown> | undefined) ?? (args.strategy === "inventory" ? DEMO_PARAMS : {}),
      outDir: out,
      onSetup: (line) => console.log(`  ${line}`),
      onStatus(status) {
        const line = statusLine(status);
        if (tty) process.stdout.write(`\r\x1b[2K${line}`);
        else if (Math.floor(status.timestamp / 3600) !== lastHour || status.step === status.steps) {
          lastHour = Math.floor(status.timestamp / 3600);
          console.log(line);
        }
      },
      onEvent(line) {
        if (tty) process.stdout.write("\r\x1b[2K");
        console.log(line);
      },
    });
    if (tty) process.stdout.write("\n");
    const { result, comparison } = demoRun;
    console.log(`\n${formatBacktestTable(result)}`);
    const table = new Table({
      head: ["on chain vs fast backtest", "on chain", "fast", "difference", "allowed", ""],
      style: { head: [], border: [] },
    });
    for (const f of comparison.figures)
      table.push([
        f.figure,
        f.chain.toFixed(4),
        f.fast.toFixed(4),
        f.difference.toExponential(2),
        f.allowed.toExponential(2),
        f.ok ? "ok" : "OVER",
      ]);
    table.push([
      "rebalances (times, ranges)",
      String(demoRun.chain.rebalances),
      String(demoRun.fast.rebalances),
      "",
      "identical",
      comparison.sameRebalances ? "ok" : "DIFFERENT",
    ]);
    console.log(table.toString());
    console.log(
      `${comparison.ok ? "Agree" : "DISAGREE"}: ${comparison.tolerance}.\n` +
        `Keeper: ${demoRun.blocks} blocks read and decided, ${demoRun.keeperTransactions} transactions sent and mined.`,
    );
    for (const line of result.meta.assumptions) console.log(`  - ${line}`);
    const files = writeReport(result, out, {
      title: "Rangekeeper demo: the keeper on chain vs the backtest",
    });
    console.log(`\nReport: ${files.html}\nFigures: ${files.json}\nKeeper database and log: ${out}`);
    console.log(`Wall time ${(demoRun.wallMs / 1000).toFixed(1)} s.`);
    if (!comparison.ok) process.exitCode = 1;
  } catch (error) {
    if (tty) process.stdout.write("\n");
    if (
      error instanceof DemoError ||
      error instanceof InvalidOptionError ||
      error instanceof UnknownStrategyError ||
      error instanceof InvalidStrategyParamsError
    ) {
      console.error(`demo: ${error.message}`);
      process.exitCode = 1;
      return;
    }
    throw error;
  }
}
