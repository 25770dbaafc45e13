import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

import type { RequestCounter } from "../rpc/countRequests.js";
import type { Measurements } from "../snapshot.js";

/** The keeper's Prometheus metrics, in a registry of its own (no global state shared between keepers). */
export interface KeeperMetrics {
  registry: Registry;
  drift: Gauge<"vault">;
  impermanentLoss: Gauge<"vault">;
  lvr: Gauge<"vault">;
  value: Gauge<"vault">;
  fees: Gauge<"vault">;
  inRange: Gauge<"vault">;
  volatility: Gauge<"vault">;
  lvrRate: Gauge<"vault">;
  valueAtRisk: Gauge<"vault">;
  conditionalValueAtRisk: Gauge<"vault">;
  delta: Gauge<"vault">;
  probabilityInRange: Gauge<"vault">;
  lastRebalance: Gauge<"vault">;
  lastBlock: Gauge;
  decisionLatency: Histogram<"vault">;
  decisions: Counter<"vault" | "action">;
  transactions: Counter<"vault" | "status">;
  rpcRequests: Counter<"method">;
  rpcErrors: Counter<"method">;
  reorgs: Counter;
}

export interface CreateKeeperMetricsParameters {
  /** Requests and failures seen by this counter feed keeper_rpc_requests_total and keeper_rpc_errors_total. */
  rpcCounter?: RequestCounter;
  /** Node.js process metrics (memory, event loop lag, …) beside the keeper's own. */
  processMetrics?: boolean;
}

export function createKeeperMetrics({
  rpcCounter,
  processMetrics = true,
}: CreateKeeperMetricsParameters = {}): KeeperMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry, prefix: "keeper_" });
  const gauge = (name: string, help: string) =>
    new Gauge({ name, help, labelNames: ["vault"] as const, registers: [registry] });
  const metrics: KeeperMetrics = {
    registry,
    drift: gauge("keeper_vault_drift", "Token1 value share minus the target share (fraction)"),
    impermanentLoss: gauge(
      "keeper_vault_impermanent_loss",
      "Impermanent loss versus holding (fraction of the holding's value)",
    ),
    lvr: gauge("keeper_vault_lvr", "Loss-versus-rebalancing accrued (token1 units)"),
    value: gauge("keeper_vault_value", "Vault value (token1 units)"),
    fees: gauge("keeper_vault_fees", "Fees earned (token1 units)"),
    inRange: gauge("keeper_vault_in_range", "1 when the pool price is inside the vault's base range"),
    volatility: gauge("keeper_vault_volatility", "EWMA volatility of the pool price, annualised"),
    lvrRate: gauge("keeper_vault_lvr_rate_per_day", "Instantaneous LVR rate (token1 units per day)"),
    valueAtRisk: gauge("keeper_vault_value_at_risk", "VaR over the risk horizon (token1 units)"),
    conditionalValueAtRisk: gauge(
      "keeper_vault_conditional_value_at_risk",
      "CVaR (expected shortfall) over the risk horizon (token1 units)",
    ),
    delta: gauge("keeper_vault_delta", "Token0 exposure, dV/dP (token0 units)"),
    probabilityInRange: gauge(
      "keeper_vault_probability_in_range",
      "Probability that the price is inside the base range at the risk horizon",
    ),
    lastRebalance: gauge(
      "keeper_vault_last_rebalance_timestamp_seconds",
      "Block timestamp of the vault's last mined rebalance",
    ),
    lastBlock: new Gauge({
      name: "keeper_last_confirmed_block",
      help: "Last confirmed block processed",
      registers: [registry],
    }),
    decisionLatency: new Histogram({
      name: "keeper_decision_latency_seconds",
      help: "From the block's state being read to the decision being made, per vault",
      labelNames: ["vault"] as const,
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.5, 1],
      registers: [registry],
    }),
    decisions: new Counter({
      name: "keeper_decisions_total",
      help: "Decisions by action",
      labelNames: ["vault", "action"] as const,
      registers: [registry],
    }),
    transactions: new Counter({
      name: "keeper_transactions_total",
      help: "Transactions by outcome",
      labelNames: ["vault", "status"] as const,
      registers: [registry],
    }),
    rpcRequests: new Counter({
      name: "keeper_rpc_requests_total",
      help: "JSON-RPC requests sent, retries included",
      labelNames: ["method"] as const,
      registers: [registry],
    }),
    rpcErrors: new Counter({
      name: "keeper_rpc_errors_total",
      help: "JSON-RPC requests that failed or timed out",
      labelNames: ["method"] as const,
      registers: [registry],
    }),
    reorgs: new Counter({
      name: "keeper_reorgs_total",
      help: "Reorganisations below the confirmation depth",
      registers: [registry],
    }),
  };
  rpcCounter?.listeners.push(({ method, failed }) =>
    (failed ? metrics.rpcErrors : metrics.rpcRequests).inc({ method }),
  );
  return metrics;
}

/** Sets a vault's gauges from the measurements that carry a known name; unknown or absent ones are left alone. */
export function observeMeasurements(metrics: KeeperMetrics, vault: string, m: Measurements): void {
  const set = (gauge: Gauge<"vault">, value: unknown) => {
    if (typeof value === "number" && Number.isFinite(value)) gauge.set({ vault }, value);
  };
  set(metrics.drift, m.drift);
  set(metrics.impermanentLoss, m.impermanentLoss);
  set(metrics.lvr, m.lvr);
  set(metrics.value, m.value);
  set(metrics.fees, m.fees);
  set(metrics.volatility, m.volatility);
  set(metrics.lvrRate, m.lvrRatePerDay);
  set(metrics.valueAtRisk, m.valueAtRisk);
  set(metrics.conditionalValueAtRisk, m.conditionalValueAtRisk);
  set(metrics.delta, m.delta);
  set(metrics.probabilityInRange, m.probabilityInRange);
  if (typeof m.inRange === "boolean") metrics.inRange.set({ vault }, m.inRange ? 1 : 0);
}
