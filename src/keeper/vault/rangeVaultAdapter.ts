import { encodePacked, getAddress, keccak256, parseEventLogs, type AbiEvent, type Address } from "viem";

import { positionFees } from "../../analytics/positionFees.js";
import { uniswapV3PoolAbi } from "../../chain/abi/uniswap.js";
import { rangeVaultAbi, rangeVaultLensAbi } from "../../chain/vault/abi.js";
import type { RebalanceParams } from "../../chain/vault/rebalanceParams.js";
import type { RebalancePlan } from "../../strategies/types.js";
import type { VaultConfig } from "../config/schema.js";
import type { ContractRead, ContractReadResult } from "../rpc/readContractsAtBlock.js";
import type { PoolState } from "../snapshot.js";
import type { VaultAdapter } from "../vaultAdapter.js";
import { toVaultState, type LensVaultState, type VaultState } from "./vaultState.js";

/** The vault's events that move holdings or ranges; they join each block's one logs request. */
export const RANGE_VAULT_EVENTS: readonly AbiEvent[] = rangeVaultAbi.filter(
  (item): item is Extract<(typeof rangeVaultAbi)[number], { type: "event" }> =>
    item.type === "event" &&
    ["Deposit", "Withdraw", "Rebalance", "FeesCollected", "EmergencyExit"].includes(item.name),
);

export class VaultReadError extends Error {
  constructor(vault: VaultConfig, lens: Address) {
    super(
      `vault ${vault.name} (${vault.address}): RangeVaultLens ${lens}.getState reverted; check vaults[].address is a RangeVault and vaultLens is a RangeVaultLens on this chain`,
    );
    this.name = "VaultReadError";
  }
}

interface Range {
  tickLower: number;
  tickUpper: number;
}

/** Uniswap's position key: keccak256(abi.encodePacked(owner, tickLower, tickUpper)). */
export function positionKey(owner: Address, tickLower: number, tickUpper: number) {
  return keccak256(encodePacked(["address", "int24", "int24"], [owner, tickLower, tickUpper]));
}

export interface CreateRangeVaultAdapterParameters {
  /** A RangeVaultLens on the keeper's chain. */
  lens: Address;
}

/**
 * The RangeVault plugged into the keeper. Each block's batched request carries, per vault, the lens's
 * `getState` and, for each range the vault held at the previous block, the pool's `positions` and `ticks`
 * reads from which the fees owed follow to the wei (`positionFees`). Which ranges those are is only known
 * from a previous read: in the block where a vault's ranges change (its rebalance, an emergency exit, the
 * first block seen) the state comes back `stale` and readVaultSnapshots reads it again in one more request.
 * A plan becomes `RangeVault.rebalance` pinned to the priced block: expectedTick is the snapshot's tick,
 * with the vault's configured tickTolerance and a deadline of the block's time plus deadlineSeconds.
 */
export function createRangeVaultAdapter({
  lens,
}: CreateRangeVaultAdapterParameters): VaultAdapter<VaultState, RebalancePlan> {
  /** The ranges each vault held when last decoded: the fee reads of its next request. */
  const held = new Map<Address, Range[]>();
  /** The ranges whose fee reads the latest `reads` call included, per vault. */
  const requested = new Map<Address, Range[]>();
  return {
    events: RANGE_VAULT_EVENTS,
    reads(vault) {
      const ranges = held.get(vault.address) ?? [];
      requested.set(vault.address, ranges);
      return [
        { address: lens, abi: rangeVaultLensAbi, functionName: "getState", args: [vault.address] },
        ...ranges.flatMap(({ tickLower, tickUpper }): ContractRead[] => [
          {
            address: vault.pool,
            abi: uniswapV3PoolAbi,
            functionName: "positions",
            args: [positionKey(vault.address, tickLower, tickUpper)],
          },
          { address: vault.pool, abi: uniswapV3PoolAbi, functionName: "ticks", args: [tickLower] },
          { address: vault.pool, abi: uniswapV3PoolAbi, functionName: "ticks", args: [tickUpper] },
        ]),
      ];
    },
    decode(vault, results, pool) {
      const [state, ...feeReads] = results;
      if (state?.status !== "success") throw new VaultReadError(vault, lens);
      const lensState = state.result as LensVaultState;
      const read = requested.get(vault.address) ?? [];
      const feesOf = (range: LensVaultState["base"]) => {
        if (range.liquidity === 0n) return null;
        const i = read.findIndex((r) => r.tickLower === range.lower && r.tickUpper === range.upper);
        if (i < 0) return null;
        return rangeFees(feeReads.slice(3 * i, 3 * i + 3), range, pool);
      };
      held.set(
        vault.address,
        [lensState.base, lensState.limit]
          .filter((r) => r.liquidity > 0n)
          .map((r) => ({ tickLower: r.lower, tickUpper: r.upper })),
      );
      return toVaultState(lensState, { base: feesOf(lensState.base), limit: feesOf(lensState.limit) });
    },
    stale: (_vault, state) => state.holderFeesOwed0 === null,
    toCall(vault, plan, snapshot) {
      const params: RebalanceParams = {
        baseLower: plan.baseLower,
        baseUpper: plan.baseUpper,
        limitWidth: plan.limitWidth,
        expectedTick: snapshot.pool.tick,
        tickTolerance: vault.tickTolerance,
        swapZeroForOne: plan.swap?.zeroForOne ?? false,
        swapAmountIn: plan.swap?.amountIn ?? 0n,
        swapSqrtPriceLimitX96: plan.swap?.sqrtPriceLimitX96 ?? 0n,
        deadline: snapshot.block.timestamp + BigInt(vault.deadlineSeconds),
      };
      return { address: vault.address, abi: rangeVaultAbi, functionName: "rebalance", args: [params] };
    },
    costs(vault, logs) {
      const [event] = parseEventLogs({ abi: rangeVaultAbi, eventName: "Rebalance", logs: [...logs] }).filter(
        (e) => getAddress(e.address) === vault.address,
      );
      if (event === undefined) return {};
      const { valueBefore, valueAfter, swapAmount0, swapAmount1, tick, twapTick } = event.args;
      // The vault values both sides at the TWAP price: what the rebalance itself lost (swap fee and impact,
      // rounding, and the loss locked in at a displaced price), in token1 raw units.
      return {
        lossAtTwap: valueBefore - valueAfter,
        valueBefore,
        valueAfter,
        swapAmount0,
        swapAmount1,
        tick,
        twapTick,
      };
    },
  };
}

function rangeFees(
  reads: ContractReadResult[],
  range: LensVaultState["base"],
  pool: PoolState,
): { amount0: bigint; amount1: bigint } | null {
  if (reads.length !== 3 || reads.some((r) => r.status !== "success")) return null;
  const [position, lower, upper] = reads.map((r) => (r as { result: readonly unknown[] }).result);
  const outside = (tick: readonly unknown[]) => ({
    feeGrowthOutside0X128: tick[2] as bigint,
    feeGrowthOutside1X128: tick[3] as bigint,
  });
  const [liquidity, inside0, inside1, owed0, owed1] = position as readonly bigint[];
  // A position the pool does not hold at this liquidity is not the one the lens reported: read it again.
  if (liquidity !== range.liquidity) return null;
  const fees = positionFees({
    tickLower: range.lower,
    tickUpper: range.upper,
    tickCurrent: pool.tick,
    feeGrowthGlobal0X128: pool.feeGrowthGlobal0X128,
    feeGrowthGlobal1X128: pool.feeGrowthGlobal1X128,
    lower: outside(lower!),
    upper: outside(upper!),
    position: {
      liquidity: liquidity!,
      feeGrowthInside0LastX128: inside0!,
      feeGrowthInside1LastX128: inside1!,
      tokensOwed0: owed0!,
      tokensOwed1: owed1!,
    },
  });
  return { amount0: fees.amount0, amount1: fees.amount1 };
}
