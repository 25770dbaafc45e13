/**
 * The contract between strategies and the two places that run them. A strategy is a pure function of a
 * `StrategySnapshot` (plain data, no I/O, no clock): the keeper builds the snapshot from one block's chain
 * reads, the backtester from its pool simulator, and both run the same code and get the same plan.
 */

/** A concentrated-liquidity range the vault holds. */
export interface HeldRange {
  tickLower: number;
  tickUpper: number;
  liquidity: bigint;
}

/** The hard bounds the vault enforces on a rebalance (RangeVault's `Params`), so a plan never asks for a revert. */
export interface VaultBounds {
  minBaseWidth: number;
  maxBaseWidth: number;
  minLimitWidth: number;
  maxLimitWidth: number;
  /** Largest |spot tick − TWAP tick|, also the largest tolerance a rebalance may carry. */
  maxTwapDeviation: number;
  /** Seconds between two rebalances. */
  minRebalanceInterval: number;
}

export interface StrategySnapshot {
  /** Block (or simulated) time, seconds since the epoch. */
  timestamp: number;
  pool: {
    tick: number;
    sqrtPriceX96: bigint;
    /** Mean tick over the vault's TWAP window, as the vault itself will check it. */
    twapTick: number;
    tickSpacing: number;
    /** Pool fee in hundredths of a basis point (500 = 0.05 %). */
    fee: number;
    /** Active liquidity at the current tick. */
    liquidity: bigint;
  };
  vault: {
    /** Everything the shareholders own (idle, both ranges at spot, fees owed, protocol share excluded). */
    total0: bigint;
    total1: bigint;
    base: HeldRange | null;
    limit: HeldRange | null;
    /** Token1's target share of the vault's value, 0..1 (RangeVault's targetToken1Bps / 1e4). */
    targetShare1: number;
    /** Time of the vault's last rebalance, null before the first. */
    lastRebalance: number | null;
    bounds: VaultBounds;
  };
  market: {
    /** Annualised volatility of ln P, from the measure step (EWMA of recent prices). */
    volatility: number;
    /**
     * Fee income per unit of in-range liquidity per second, valued in token1 raw units (from the growth of
     * feeGrowthGlobal over recent blocks). A vault with liquidity L in range earns about L × this.
     */
    feeRatePerLiquidity: number;
    /** Current cost of gas, in token1 raw units per unit of gas (gas price × token1 per wei of ETH). */
    gasCostPerUnit: number;
  };
}

/** What a strategy asks the vault to do: RangeVault.rebalance without the fields the keeper adds itself. */
export interface RebalancePlan {
  baseLower: number;
  baseUpper: number;
  /** Width of the one-sided limit range; the vault places it on the side of the token left after the base mint. */
  limitWidth: number;
  /** Optional exact-input swap through the pool itself, before minting. */
  swap: { zeroForOne: boolean; amountIn: bigint; sqrtPriceLimitX96: bigint } | null;
}

/** Why a strategy wants to act (or would have, before the economic check said no). */
export type RebalanceTrigger = "initial" | "out-of-range" | "drift" | "stale";

/**
 * The economic check's arithmetic, in token1 raw units over the strategy's horizon, kept with every decision
 * so an operator (and the backtest report) can see why a rebalance did or did not pay for itself.
 */
export interface RebalanceEconomics {
  expectedGain: number;
  gasCost: number;
  swapCost: number;
  /** expectedGain − gasCost − swapCost. */
  net: number;
  /**
   * What expectedGain is made of, when the strategy values it that way (rebalanceEconomics): expected fees
   * gained, expected LVR added (subtracted from the gain), inventory-risk penalty removed.
   */
  breakdown?: { fees: number; lvr: number; inventoryRisk: number };
  /** The horizon the gain was counted over, seconds. */
  horizonSeconds?: number;
}

export interface StrategyDecision<Memory = unknown> {
  plan: RebalancePlan | null;
  trigger: RebalanceTrigger | null;
  reasons: string[];
  economics: RebalanceEconomics | null;
  /** State a strategy carries to its next decision (hysteresis); stored by the keeper, kept by the backtester. */
  memory: Memory;
}

/**
 * A strategy: `decide` must be deterministic in its inputs (same snapshot, params and memory → same decision),
 * so a backtest and a live keeper agree. `parseParams` validates user-supplied params (config file, CLI) and
 * throws an error naming the field and what was expected.
 */
export interface PureStrategy<Params = unknown, Memory = unknown> {
  name: string;
  parseParams(params: unknown): Params;
  initialMemory(): Memory;
  decide(snapshot: StrategySnapshot, params: Params, memory: Memory): StrategyDecision<Memory>;
}
