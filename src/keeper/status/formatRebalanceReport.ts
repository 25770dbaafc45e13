import { formatEther, formatGwei, formatUnits } from "viem";

import type { RebalancePlan } from "../../strategies/types.js";
import type { RebalanceRow } from "../../storage/rebalances.js";
import type { VaultConfig } from "../config/schema.js";
import type { ExecuteCallReturnType } from "../execute/executeCall.js";
import type { FollowTransactionReturnType } from "../execute/followTransaction.js";
import type { BlockSummary } from "../runKeeper.js";

export interface RebalanceReportParameters {
  vault: VaultConfig;
  summary: BlockSummary;
  outcome: ExecuteCallReturnType | FollowTransactionReturnType | null;
  /** The recorded rebalance when it was mined (gas and measured costs). */
  recorded: RebalanceRow | null;
}

/** One decision of `vault:rebalance`, in words: block, action, reasons, economics, plan, the call, and what happened. */
export function formatRebalanceReport(p: RebalanceReportParameters): string {
  const entry = p.summary.decisions.find((d) => d.vault === p.vault.name)!;
  const { decision, strategySnapshot: s, pool } = entry;
  const token1 = (raw: number) => `${(raw / 10 ** pool.decimals1).toPrecision(6)} ${pool.symbol1}`;
  const lines = [
    `vault ${p.vault.name} (${p.vault.address}), strategy ${p.vault.strategy.name}, confirmed block ${p.summary.block.number} (head ${p.summary.block.head})`,
    `decision: ${entry.action}${decision.trigger ? ` (trigger: ${decision.trigger})` : ""}`,
    ...entry.reasons.map((r) => `  - ${r}`),
  ];
  if (s !== null)
    lines.push(
      `market: volatility ${(s.market.volatility * 100).toFixed(2)} % a year, fee income ${s.market.feeRatePerLiquidity.toPrecision(4)} per unit of liquidity per second, gas ${token1(s.market.gasCostPerUnit)} per unit`,
    );
  lines.push(
    decision.economics == null
      ? "economics: this strategy makes no economic check"
      : `economics: expected gain ${token1(decision.economics.expectedGain)} − gas ${token1(decision.economics.gasCost)} − swap ${token1(decision.economics.swapCost)} = net ${token1(decision.economics.net)}`,
  );
  const plan = decision.plan as RebalancePlan | null;
  if (plan !== null && s !== null) {
    lines.push(
      `plan: base [${plan.baseLower}, ${plan.baseUpper}), limit width ${plan.limitWidth}${
        plan.swap === null
          ? ", no swap"
          : `, swap ${plan.swap.amountIn} of token${plan.swap.zeroForOne ? 0 : 1} (price limit ${plan.swap.sqrtPriceLimitX96})`
      }`,
      `call: RangeVault.rebalance with expectedTick ${s.pool.tick} ± ${p.vault.tickTolerance}, deadline ${s.timestamp + p.vault.deadlineSeconds}`,
    );
  }
  const o = p.outcome;
  if (o === null) lines.push(entry.action === "rebalance" ? "outcome: unknown" : "outcome: nothing to send");
  else if (o.status === "mined")
    lines.push(
      `outcome: mined in block ${o.blockNumber}, tx ${o.hash}, gas ${o.gasUsed} × ${formatGwei(o.effectiveGasPrice!)} gwei = ${formatEther(o.gasUsed! * o.effectiveGasPrice!)} ETH${
        typeof p.recorded?.costs.lossAtTwap === "bigint"
          ? `; lost ${formatUnits(p.recorded.costs.lossAtTwap, pool.decimals1)} ${pool.symbol1} at the TWAP price (swap and rounding)`
          : ""
      }`,
    );
  else if (o.status === "dry-run")
    lines.push(
      `outcome: dry run: simulated and signed (tx ${o.hash}, gas limit ${o.gas}, max fee ${formatGwei(o.maxFeePerGas)} gwei), nothing sent`,
    );
  else if (o.status === "pending")
    lines.push(`outcome: sent (tx ${o.hash}), not final yet: it stays journaled and the keeper follows it`);
  else if ("reason" in o) lines.push(`outcome: ${o.status}: ${o.reason}`);
  else lines.push(`outcome: ${o.status} (tx ${o.hash})`);
  return lines.join("\n");
}
