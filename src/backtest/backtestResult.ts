import type { RebalanceEconomics, RebalanceTrigger } from "../strategies/types.js";

/**
 * What a backtest (or the end-to-end demo, through createBacktestRecorder) reports: per run (the strategy and
 * each baseline) a P&L attribution against holding the starting tokens, risk and activity figures, and
 * downsampled series for the report's charts. Money is in the numeraire's token units (decimals applied).
 */
export interface BacktestResult {
  meta: BacktestMeta;
  /** The strategy first, then the baselines (hold, full range, passive) on the same path. */
  runs: RunResult[];
}

export interface BacktestMeta {
  /** The data: folder or file, and what kind of path it is. */
  source: string;
  kind: "swaps" | "minute-bars" | "price-path";
  pool: { fee: number; tickSpacing: number; token0: TokenInfo; token1: TokenInfo };
  start: number;
  end: number;
  steps: number;
  /** The token money is counted in, and its symbol. */
  numeraire: { token: 0 | 1; symbol: string };
  strategy: { name: string; params: unknown };
  /** Starting capital, in numeraire units. */
  capital: number;
  gas: GasModel;
  /** How the fees were attributed and other stated approximations, for the report. */
  assumptions: string[];
}

export interface TokenInfo {
  symbol: string;
  decimals: number;
}

/** Gas per rebalance and its price: gas is paid in ETH, so `ethInToken1` converts wei to token1 raw units. */
export interface GasModel {
  gasPriceGwei: number;
  /** Token1 raw units per wei of ETH (1 when token1 is WETH). */
  ethInToken1: number;
  /** Gas of the vault's first rebalance (no ranges to burn), of a later one, and extra for a swap. */
  firstRebalanceGas: number;
  rebalanceGas: number;
  swapGas: number;
}

/** The P&L attribution of one run against holding the starting tokens; numeraire units. */
export interface Attribution {
  /** Fees earned (holders' share, net of the protocol's), each valued when earned. */
  fees: number;
  /** Value of the vault minus fees and swap costs minus holding: the impermanent loss (negative is a loss). */
  impermanentLoss: number;
  /** Loss-versus-rebalancing measured step by step (not additive with IL: the same loss against another benchmark). */
  lvr: number;
  /** Gas paid by the keeper for this run's rebalances. */
  gas: number;
  /** Fees and price impact of the rebalances' swaps, against the mid price. */
  swapCost: number;
  /** fees + impermanentLoss − swapCost − gas = vault value − holding value − gas. */
  net: number;
}

export interface RiskFigures {
  /** Horizon of the VaR figures, seconds, and their confidence level. */
  horizonSeconds: number;
  confidence: number;
  /** Windows compared (overlapping, start every horizon / 12). */
  windows: number;
  /** Mean predicted VaR / CVaR (closed form, lognormal, the measured σ) as shares of value. */
  predictedVaR: number;
  predictedCVaR: number;
  /** Realised: the confidence-quantile and tail mean of the static holdings' loss over each window. */
  realisedVaR: number;
  realisedCVaR: number;
  /** Share of windows whose loss exceeded the VaR predicted at its start (1 − confidence if well calibrated). */
  exceedanceRate: number;
}

export interface RebalanceRecord {
  timestamp: number;
  trigger: RebalanceTrigger | null;
  reasons: string[];
  economics: RebalanceEconomics | null;
  /** New ranges (null when the call reverted). */
  baseLower: number | null;
  baseUpper: number | null;
  limitLower: number | null;
  limitUpper: number | null;
  gasUsed: number;
  /** Numeraire units. */
  gasCost: number;
  swapCost: number;
  /** The vault's revert, when the call failed (no gas counted: the keeper simulates first). */
  reverted: string | null;
}

/** Series for the charts, downsampled to at most a few thousand points. */
export interface RunSeries {
  timestamp: number[];
  /** Price of the token that is not the numeraire, in numeraire units (for USDC/WETH: ETH in USDC). */
  displayPrice: number[];
  /** Base and limit ranges, as displayPrice bounds (null when none). */
  baseLow: (number | null)[];
  baseHigh: (number | null)[];
  limitLow: (number | null)[];
  limitHigh: (number | null)[];
  value: number[];
  holdValue: number[];
  /** Token1's share of value, and cumulative fees, IL and LVR. */
  share1: number[];
  fees: number[];
  lvr: number[];
}

export interface RunResult {
  name: string;
  /** "strategy" for the run under test; otherwise which baseline. */
  role: "strategy" | "hold" | "full-range" | "passive";
  params: unknown;
  startValue: number;
  endValue: number;
  holdEndValue: number;
  attribution: Attribution;
  /** Share of time the price was inside the base range. */
  timeInRange: number;
  rebalances: number;
  revertedRebalances: number;
  /** Worst peak-to-trough fall of the vault's value, as a share of the peak. */
  maxDrawdown: number;
  /** Token1 share of value: its target, mean |drift| and the largest |drift|. */
  targetShare1: number;
  meanAbsDrift: number;
  maxAbsDrift: number;
  risk: RiskFigures | null;
  rebalanceLog: RebalanceRecord[];
  series: RunSeries;
}
