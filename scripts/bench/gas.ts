// `npm run bench:gas`: the reference gas scenario of ../shared/notes/domain.md through RangeVault, each step beside
// Charm v1, Charm v2 and Gamma (with the ratio to Charm v1) and beside the floor (the same pool operations by a bare
// contract). Writes reports/bench/gas.json. Gas is deterministic; test/contracts/vaultGas.test.ts holds the ceilings.
import { mkdirSync, writeFileSync } from "node:fs";

import { network } from "hardhat";

import { connectUniswap } from "../../src/chain/connectUniswap.js";
import { GAS_STEPS, LATER_REBALANCE_CEILING, runGasScenario } from "../../test/support/gasScenario.js";

const { connection, deployment } = await connectUniswap(network, "mirror");
const { vault, floor } = await runGasScenario(connection, deployment);
await connection.close();

const fmt = (n: number | bigint | null) => (n === null ? "—" : Number(n).toLocaleString("en-US"));
const header = ["step", "rangekeeper", "vs Charm v1", "Charm v1", "Charm v2", "Gamma", "floor"];
const rows = GAS_STEPS.map((s) => [
  s.name,
  fmt(vault[s.name]),
  `${((Number(vault[s.name]) / s.charmV1) * 100).toFixed(1)} %`,
  fmt(s.charmV1),
  fmt(s.charmV2),
  fmt(s.gamma),
  fmt(floor[s.name]),
]);
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ");
console.log("Gas per step, reference scenario of domain.md (fresh 0.3 % pool, price 1, cardinality 100)\n");
console.log(line(header));
for (const row of rows) console.log(line(row));

const failures = GAS_STEPS.filter((s) => vault[s.name] > BigInt(s.charmV1)).map(
  (s) => `${s.name} above Charm v1`,
);
for (const name of ["rebalance (burn 2, mint 2)", "rebalance after a move"] as const) {
  if (vault[name] > LATER_REBALANCE_CEILING) failures.push(`${name} above ${fmt(LATER_REBALANCE_CEILING)}`);
}
console.log(failures.length === 0 ? "\nall targets met" : `\ntargets missed: ${failures.join("; ")}`);

mkdirSync("reports/bench", { recursive: true });
const json = {
  scenario:
    "domain.md reference: 0.3 % pool, 18/18 decimals, price 1, cardinality 100, LP 1e5·1e18 full range",
  steps: Object.fromEntries(GAS_STEPS.map((s) => [s.name, Number(vault[s.name])])),
  floor: Object.fromEntries(GAS_STEPS.map((s) => [s.name, Number(floor[s.name])])),
  anchors: Object.fromEntries(
    GAS_STEPS.map((s) => [s.name, { charmV1: s.charmV1, charmV2: s.charmV2, gamma: s.gamma }]),
  ),
  targets: { everyStepAtMost: "Charm v1", laterRebalancesAtMost: Number(LATER_REBALANCE_CEILING) },
};
writeFileSync("reports/bench/gas.json", `${JSON.stringify(json, null, 2)}\n`);
console.log("wrote reports/bench/gas.json");
