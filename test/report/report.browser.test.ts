import { expect } from "chai";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

import { runBacktest } from "../../src/backtest/runBacktest.js";
import { formatBacktestTable } from "../../src/report/formatBacktestTable.js";
import { writeReport } from "../../src/report/writeReport.js";
import { dataFile } from "../support/data.js";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const OUT = resolve(dirname(fileURLToPath(import.meta.url)), "../../reports/test/report");
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** What the test reads of the page (the project's TypeScript has no DOM types). */
interface Page {
  reportReady?: boolean;
  reportCharts: { id: string; labels: string[]; points: number[] }[];
  document: {
    getElementById(id: string): {
      width: number;
      height: number;
      getContext(kind: "2d"): {
        getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
      };
    };
  };
}

describe("backtest report in a real browser (Chromium, playwright-core)", function () {
  before(function () {
    if (existsSync(CHROMIUM)) return;
    if (process.env.RANGEKEEPER_REQUIRE_BROWSER === "1")
      throw new Error(
        `RANGEKEEPER_REQUIRE_BROWSER=1 but no Chromium at ${CHROMIUM}: install it (apt-get install chromium)`,
      );
    console.log(
      `      skipped: no Chromium at ${CHROMIUM} (set CHROMIUM_PATH, or RANGEKEEPER_REQUIRE_BROWSER=1 to fail)`,
    );
    this.skip();
  });

  it("opens with no network, draws every chart with its series, and matches the JSON and the terminal table", async function () {
    const result = runBacktest({ data: dataFile("mainnet-usdc-weth-005-2024-01-05"), strategy: "inventory" });
    rmSync(OUT, { recursive: true, force: true });
    const files = writeReport(result, OUT);
    const json = JSON.parse(readFileSync(files.json, "utf8")) as typeof result;
    expect(json.runs.map((r) => r.name)).to.deep.equal([
      "inventory",
      "hold",
      "full range",
      "passive (Charm)",
    ]);
    expect(json.runs[0]!.attribution.net).to.equal(result.runs[0]!.attribution.net);
    const table = formatBacktestTable(result);
    for (const run of result.runs) expect(table).to.contain(run.name);

    const profile = mkdtempSync(join(tmpdir(), "rangekeeper-chromium-"));
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
    });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      page.on("request", (request) => requests.push(request.url()));
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(pathToFileURL(files.html).href);
      await page.waitForFunction(() => (globalThis as unknown as Page).reportReady === true, null, {
        timeout: 20_000,
      });
      const charts = await page.evaluate(() => {
        const w = globalThis as unknown as Page;
        return w.reportCharts.map((chart) => {
          const canvas = w.document.getElementById(chart.id);
          const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
          let painted = 0;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) painted++;
          return { ...chart, painted, area: canvas.width * canvas.height };
        });
      });
      const byId = Object.fromEntries(charts.map((c) => [c.id, c]));
      expect(Object.keys(byId)).to.have.members([
        "chart-price",
        "chart-value",
        "chart-waterfall",
        "chart-attribution",
        "chart-inventory",
      ]);
      expect(byId["chart-price"]!.labels).to.deep.equal([
        "base high",
        "base low",
        "limit high",
        "limit low",
        "price",
      ]);
      expect(byId["chart-value"]!.labels).to.deep.equal([
        "inventory",
        "hold",
        "full range",
        "passive (Charm)",
      ]);
      expect(byId["chart-waterfall"]!.points).to.deep.equal([5]);
      expect(byId["chart-attribution"]!.labels).to.have.length(4);
      expect(byId["chart-inventory"]!.labels).to.include.members(["target", "inventory", "passive (Charm)"]);
      const steps = result.runs[0]!.series.timestamp.length;
      expect(byId["chart-price"]!.points.at(-1)).to.equal(steps);
      for (const chart of charts) {
        // Axes, lines and bars: a chart that drew nothing leaves its canvas transparent.
        expect(chart.painted, chart.id).to.be.greaterThan(chart.area * 0.01);
      }
      expect(await page.locator("#attribution-table tr").count()).to.equal(5);
      expect(requests.filter((url) => !url.startsWith("file:") && !url.startsWith("data:"))).to.deep.equal(
        [],
      );
      mkdirSync(OUT, { recursive: true });
      await page.screenshot({ path: join(OUT, "report.png"), fullPage: true });
      console.log(`      screenshot: ${join(OUT, "report.png")}`);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
});
