import Table from "cli-table3";
import { formatUnits } from "viem";

import { priceFromSqrtPriceX96, priceFromTick } from "../../analytics/price.js";
import type { VaultStatus } from "./readVaultStatus.js";

const number = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 6 });
const percent = (x: number) => `${(x * 100).toFixed(3)} %`;
const plain = { style: { head: [], border: [] } };

/** A vault's status as terminal tables: header, positions (ranges, idle, totals, fees owed), then measurements. */
export function formatVaultStatus(s: VaultStatus): string {
  const { pool, vault, measurements: m } = s;
  const [sym0, sym1] = [pool.symbol0, pool.symbol1];
  const human = (raw: number) => raw * 10 ** (pool.decimals0 - pool.decimals1);
  const price = human(priceFromSqrtPriceX96(pool.sqrtPriceX96));
  const amount0 = (x: bigint | null) =>
    x === null ? "—" : number.format(Number(formatUnits(x, pool.decimals0)));
  const amount1 = (x: bigint | null) =>
    x === null ? "—" : number.format(Number(formatUnits(x, pool.decimals1)));
  const lines = [
    `${s.name}  ${s.address}  ${sym0}/${sym1} ${pool.fee / 10_000} %  block ${s.block.number} (${new Date(Number(s.block.timestamp) * 1000).toISOString()})`,
    `price: 1 ${sym0} = ${number.format(price)} ${sym1}, 1 ${sym1} = ${number.format(1 / price)} ${sym0}; tick ${pool.tick}, TWAP tick ${vault.twapTick}${vault.paused ? "; PAUSED" : ""}`,
  ];

  const positions = new Table({
    ...plain,
    head: [
      "",
      "ticks",
      `price range (${sym1} per ${sym0})`,
      "liquidity",
      sym0,
      sym1,
      `fees ${sym0}`,
      `fees ${sym1}`,
    ],
  });
  for (const [label, range] of [
    ["base", vault.base],
    ["limit", vault.limit],
  ] as const) {
    positions.push(
      range === null
        ? [label, "—", "—", "0", "0", "0", "—", "—"]
        : [
            label,
            `[${range.tickLower}, ${range.tickUpper})`,
            `${number.format(human(priceFromTick(range.tickLower)))} – ${number.format(human(priceFromTick(range.tickUpper)))}`,
            range.liquidity.toString(),
            amount0(range.amount0),
            amount1(range.amount1),
            amount0(range.feesOwed0),
            amount1(range.feesOwed1),
          ],
    );
  }
  positions.push(["idle", "", "", "", amount0(vault.idle0), amount1(vault.idle1), "", ""]);
  positions.push([
    "total",
    "",
    "",
    "",
    amount0(vault.total0),
    amount1(vault.total1),
    amount0(vault.holderFeesOwed0),
    amount1(vault.holderFeesOwed1),
  ]);
  lines.push(positions.toString());

  const n = (key: string) => m[key] as number | null | undefined;
  const il = (key: string) => {
    const value = m[key] as
      { loss: number; fraction: number; since: number; kind: string } | null | undefined;
    return value == null
      ? "—"
      : `${percent(value.fraction)} (${number.format(value.loss)} ${sym1}) since block ${value.since}${value.kind === "first-seen" ? " (first seen)" : ""}`;
  };
  const target = vault.params.targetToken1Bps / 10_000;
  const last = s.lastRebalance;
  const figures = new Table({ ...plain, head: ["measure", "value"], colWidths: [26, 80], wordWrap: true });
  figures.push(
    // RangeVault shares have 18 decimals.
    [
      "value",
      `${number.format(n("value") ?? 0)} ${sym1} (${number.format(Number(formatUnits(vault.totalSupply, 18)))} shares)`,
    ],
    [
      "inventory",
      `${sym1} share ${percent(n("token1Share") ?? 0)}, target ${percent(target)}, drift ${percent(n("drift") ?? 0)}`,
    ],
    [
      "in range",
      `${m.inRange ? "yes" : "no"}; P(in range in ${horizon(s)}) ${percent(n("probabilityInRange") ?? 0)}`,
    ],
    ["IL since inception", il("impermanentLossSinceInception")],
    ["IL since last rebalance", il("impermanentLossSinceRebalance")],
    [
      "LVR",
      `${number.format(n("lvr") ?? 0)} ${sym1} realised (${number.format(n("lvrSinceRebalance") ?? 0)} since the last rebalance); rate ${number.format(n("lvrRatePerDay") ?? 0)} ${sym1}/day`,
    ],
    [
      "fees",
      `${number.format(n("fees") ?? 0)} ${sym1}: ${number.format(n("feesUncollected") ?? 0)} uncollected + ${number.format(n("feesCollected") ?? 0)} collected`,
    ],
    [
      "delta / gamma",
      `${number.format(n("delta") ?? 0)} ${sym0}; a 1 % move costs ${number.format(-(n("gammaPerPercentMove") ?? 0))} ${sym1} of convexity`,
    ],
    [
      "volatility",
      `${percent(n("volatility") ?? 0)} EWMA, ${n("impliedVolatility") == null ? "—" : percent(n("impliedVolatility")!)} implied (annualised)`,
    ],
    [
      `VaR / CVaR (${percent(n("confidence") ?? 0).replace(/\.?0+ %$/, " %")}, ${horizon(s)})`,
      `${number.format(n("valueAtRisk") ?? 0)} / ${number.format(n("conditionalValueAtRisk") ?? 0)} ${sym1}`,
    ],
    [
      "loss budget used",
      `${Number(vault.lossBudgetUsedPpm) / 1e4} % of ${vault.params.maxLossPerWindowBps / 100} %`,
    ],
    [
      "last rebalance",
      vault.lastRebalance === null
        ? "never"
        : `${new Date(vault.lastRebalance * 1000).toISOString()}${
            last === null
              ? ""
              : `, block ${last.blockNumber}; gas ${last.gasUsed} = ${number.format(Number(formatUnits(last.gasCostWei, 18)))} ETH${
                  typeof last.costs.lossAtTwap === "bigint"
                    ? `; lost ${number.format(Number(formatUnits(last.costs.lossAtTwap, pool.decimals1)))} ${sym1} at the TWAP price`
                    : ""
                }; tx ${last.txHash}`
          }`,
    ],
    [
      "history",
      s.history === null
        ? "no keeper database: IL and LVR count from this block"
        : `keeper database blocks ${s.history.firstBlock}–${s.history.lastBlock}`,
    ],
  );
  lines.push(figures.toString());
  return lines.join("\n");
}

function horizon(s: VaultStatus): string {
  const seconds = s.measurements.riskHorizonSeconds as number;
  return seconds % 86_400 === 0 ? `${seconds / 86_400} d` : `${seconds} s`;
}
