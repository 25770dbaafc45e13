import {
  encodePacked,
  getAddress,
  keccak256,
  parseEventLogs,
  type AbiEvent,
  type Address,
  type Hash,
} from "viem";

import { positionFees } from "../../analytics/positionFees.js";
import { uniswapV3PoolAbi } from "../../chain/abi/uniswap.js";
import { rangeVaultAbi, rangeVaultLensAbi } from "../../chain/vault/abi.js";
import type { RebalanceParams } from "../../chain/vault/rebalanceParams.js";
import type { RebalancePlan } from "../../strategies/types.js";
import type { VaultConfig } from "../config/schema.js";
import type { ContractRead, ContractReadResult } from "../rpc/readContractsAtBlock.js";
import type { BlockRef } from "../snapshot.js";
import type { VaultAdapter } from "../vaultAdapter.js";
import type { BlockEvents } from "../watch/readBlockEvents.js";
import {
  meanTick,
  predictLensState,
  toVaultState,
  type LensVaultState,
  type VaultState,
} from "./vaultState.js";

/** Every event by which a vault's own state (anything but the pool price and its balances) can change. */
const STATE_EVENTS = [
  "Deposit",
  "Withdraw",
  "Rebalance",
  "FeesCollected",
  "ProtocolFeesClaimed",
  "ParamsUpdated",
  "ProtocolFeeUpdated",
  "Paused",
  "Unpaused",
  "EmergencyExit",
];
export const RANGE_VAULT_EVENTS: readonly AbiEvent[] = rangeVaultAbi.filter(
  (item): item is Extract<(typeof rangeVaultAbi)[number], { type: "event" }> =>
    item.type === "event" && STATE_EVENTS.includes(item.name),
);

export class VaultReadError extends Error {
  constructor(vault: VaultConfig, lens: Address, what = "getState") {
    super(
      `vault ${vault.name} (${vault.address}): ${what === "getState" ? `RangeVaultLens ${lens}.getState` : what} reverted; check vaults[].address is a RangeVault and vaultLens is a RangeVaultLens on this chain`,
    );
    this.name = "VaultReadError";
  }
}

interface Range {
  tickLower: number;
  tickUpper: number;
}
type Position = readonly [bigint, bigint, bigint, bigint, bigint];
type Outside = { feeGrowthOutside0X128: bigint; feeGrowthOutside1X128: bigint };

/** Uniswap's position key: keccak256(abi.encodePacked(owner, tickLower, tickUpper)). */
export function positionKey(owner: Address, tickLower: number, tickUpper: number) {
  return keccak256(encodePacked(["address", "int24", "int24"], [owner, tickLower, tickUpper]));
}

export interface CreateRangeVaultAdapterParameters {
  /** A RangeVaultLens on the keeper's chain. */
  lens: Address;
  /** Every vault is read in full through the lens at least this often (blocks), to check what was derived. */
  refreshBlocks?: number;
  /** Told when a full read disagrees with the state derived for the same block (it should never happen). */
  onMismatch?: (vault: VaultConfig, fields: string[]) => void;
}

/**
 * The RangeVault plugged into the keeper, reading per block only what can have changed, so one batched call
 * serves hundreds of vaults under a node's eth_call gas cap (Osaka caps a call at 2^24 gas; the lens's
 * getState alone costs about 110k per vault). The block's events are read first:
 * - a vault with an event of its own this block (deposit, withdrawal, rebalance, fees, parameters, pause,
 *   exit), a vault not seen before, and a few vaults in turn (each at least every `refreshBlocks` blocks) are
 *   read in full: the lens's `getState`, and each range's `positions` and both `ticks` for the fees owed;
 * - every other vault's state is derived exactly from its last full read and this block's price, TWAP
 *   (`observe`, one read per pool and window) and token balances (`predictLensState`): nothing else of it can
 *   change without an event. Its fees owed come from its positions (changed only by the vault) and its
 *   ticks' fee growth outside, read again only when a swap crossed them.
 * A break in the chain of blocks (a reorg, a skipped block, a failed block read again) clears what was kept.
 * A plan becomes `RangeVault.rebalance` pinned to the priced block: expectedTick is the snapshot's tick, with
 * the vault's configured tickTolerance and a deadline of the block's time plus deadlineSeconds.
 */
export function createRangeVaultAdapter({
  lens,
  refreshBlocks = 64,
  onMismatch,
}: CreateRangeVaultAdapterParameters): VaultAdapter<VaultState, RebalancePlan> {
  /** Each vault's last lens state (read or derived) and its ranges' positions as last read. */
  const kept = new Map<Address, { lens: LensVaultState; positions: Map<string, Position> }>();
  /** Fee growth outside of ticks the vaults' ranges use, by `${pool}:${tick}`. */
  const ticks = new Map<string, Outside>();
  /** Each pool's tick at the last block processed, where this block's swaps start from. */
  const poolTicks = new Map<Address, number>();
  let lastBlock: Hash | null = null;
  let cursor = 0;
  let plan = {
    full: new Set<Address>(),
    evented: new Set<Address>(),
    eventRanges: new Map<Address, Range[]>(),
    crossed: new Set<string>(),
  };
  /** Each vault's pool, to know which ticks are still in use. */
  const poolOf = new Map<Address, Address>();
  const forceFull = new Set<Address>();
  const requested = new Map<Address, { full: boolean; ranges: Range[]; ticks: string[]; calls: number }>();
  const blockPools = new Map<Address, number>();

  const tickKey = (pool: Address, tick: number) => `${pool}:${tick}`;
  const rangeKey = (r: Range) => `${r.tickLower}:${r.tickUpper}`;
  const held = (state: LensVaultState): Range[] =>
    [state.base, state.limit]
      .filter((r) => r.liquidity > 0n)
      .map((r) => ({ tickLower: r.lower, tickUpper: r.upper }));

  return {
    events: RANGE_VAULT_EVENTS,

    prepare(block: BlockRef, vaults: readonly VaultConfig[], events: BlockEvents) {
      if (lastBlock === null || block.parentHash !== lastBlock) {
        kept.clear();
        ticks.clear();
        poolTicks.clear();
      }
      const full = new Set<Address>();
      const evented = new Set<Address>();
      const eventRanges = new Map<Address, Range[]>();
      for (const e of events.contracts) {
        full.add(e.address);
        evented.add(e.address);
        if (e.eventName === "Rebalance") {
          const a = e.args as {
            baseLower: number;
            baseUpper: number;
            baseLiquidity: bigint;
            limitLower: number;
            limitUpper: number;
            limitLiquidity: bigint;
          };
          eventRanges.set(e.address, [
            ...(a.baseLiquidity > 0n ? [{ tickLower: a.baseLower, tickUpper: a.baseUpper }] : []),
            ...(a.limitLiquidity > 0n ? [{ tickLower: a.limitLower, tickUpper: a.limitUpper }] : []),
          ]);
        }
      }
      const n = vaults.length;
      const turn = Math.min(n, Math.ceil(n / refreshBlocks));
      for (let i = 0; i < turn; i++) full.add(vaults[(cursor + i) % n]!.address);
      cursor = n === 0 ? 0 : (cursor + turn) % n;
      // A tick's fee growth outside flips when the price crosses it: between consecutive prices of the
      // block (the last block's tick, then each swap's), one on each side.
      const crossed = new Set<string>();
      for (const pool of new Set(vaults.map((v) => v.pool))) {
        const swaps = events.pools.filter((e) => e.pool === pool && e.type === "Swap");
        if (swaps.length === 0) continue;
        const start = poolTicks.get(pool);
        const path = start === undefined ? [] : [start, ...swaps.map((s) => (s as { tick: number }).tick)];
        for (const key of ticks.keys()) {
          if (!key.startsWith(`${pool}:`)) continue;
          const tick = Number(key.slice(pool.length + 1));
          if (start === undefined || path.some((t, i) => i > 0 && t >= tick !== path[i - 1]! >= tick))
            crossed.add(key);
        }
      }
      plan = { full, evented, eventRanges, crossed };
      blockPools.clear();
    },

    reads(vault) {
      poolOf.set(vault.address, vault.pool);
      const previous = kept.get(vault.address);
      const full = previous === undefined || plan.full.has(vault.address) || forceFull.has(vault.address);
      const calls: ContractRead[] = [];
      let ranges: Range[];
      const tickReads: string[] = [];
      const readTick = (tick: number) => {
        tickReads.push(tickKey(vault.pool, tick));
        // Measured on the mirror inside one batch (warm pool): a tick about 10k gas, a position 5k.
        calls.push({
          address: vault.pool,
          abi: uniswapV3PoolAbi,
          functionName: "ticks",
          args: [tick],
          gas: 12_000,
        });
      };
      if (full) {
        ranges = plan.eventRanges.get(vault.address) ?? (previous === undefined ? [] : held(previous.lens));
        // getState about 110k gas with the vault cold and the pool warm.
        calls.push({
          address: lens,
          abi: rangeVaultLensAbi,
          functionName: "getState",
          args: [vault.address],
          gas: 130_000,
        });
        for (const r of ranges) {
          calls.push({
            address: vault.pool,
            abi: uniswapV3PoolAbi,
            functionName: "positions",
            args: [positionKey(vault.address, r.tickLower, r.tickUpper)],
            gas: 8_000,
          });
          readTick(r.tickLower);
          readTick(r.tickUpper);
        }
      } else {
        ranges = held(previous.lens);
        calls.push({
          address: vault.pool,
          abi: uniswapV3PoolAbi,
          functionName: "observe",
          args: [[previous.lens.params.twapWindow, 0]],
          gas: 15_000,
        });
        for (const r of ranges)
          for (const tick of [r.tickLower, r.tickUpper]) {
            const key = tickKey(vault.pool, tick);
            if (plan.crossed.has(key) || !ticks.has(key)) readTick(tick);
          }
      }
      requested.set(vault.address, { full, ranges, ticks: tickReads, calls: calls.length });
      return calls;
    },

    decode(vault, results, { pool, balances, block }) {
      const req = requested.get(vault.address)!;
      blockPools.set(pool.address, pool.tick);
      const value = <T>(r: ContractReadResult | undefined) =>
        r?.status === "success" ? (r.result as T) : undefined;
      // Tick reads come last in both kinds of reads, in `req.ticks` order.
      let tickResults = results;
      let state: LensVaultState;
      const positions = new Map<string, Position>();
      if (req.full) {
        const fresh = value<LensVaultState>(results[0]);
        if (fresh === undefined) throw new VaultReadError(vault, lens);
        req.ranges.forEach((r, i) => {
          const position = value<Position>(results[1 + 3 * i]);
          if (position !== undefined) positions.set(rangeKey(r), position);
        });
        tickResults = req.ranges.flatMap((_r, i) => [results[2 + 3 * i]!, results[3 + 3 * i]!]);
        const previous = kept.get(vault.address);
        // A vault read in turn, with no call of its own this block: what was derived must equal what was read.
        if (previous !== undefined && onMismatch !== undefined && !plan.evented.has(vault.address)) {
          const derived = predictLensState(previous.lens, {
            sqrtPriceX96: pool.sqrtPriceX96,
            tick: pool.tick,
            twapTick: fresh.twapTick,
            balance0: balances.token0,
            balance1: balances.token1,
            timestamp: block.timestamp,
          });
          const fields = Object.keys(fresh).filter(
            (k) =>
              JSON.stringify(derived[k as keyof LensVaultState], big) !==
              JSON.stringify(fresh[k as keyof LensVaultState], big),
          );
          if (fields.length > 0) onMismatch(vault, fields);
        }
        state = fresh;
      } else {
        const previous = kept.get(vault.address)!;
        const observed = value<readonly [readonly bigint[], readonly bigint[]]>(results[0]);
        if (observed === undefined) throw new VaultReadError(vault, lens, `pool ${vault.pool}.observe`);
        tickResults = results.slice(1);
        for (const [key, position] of previous.positions) positions.set(key, position);
        state = predictLensState(previous.lens, {
          sqrtPriceX96: pool.sqrtPriceX96,
          tick: pool.tick,
          twapTick: meanTick(observed[0][0]!, observed[0][1]!, previous.lens.params.twapWindow),
          balance0: balances.token0,
          balance1: balances.token1,
          timestamp: block.timestamp,
        });
      }
      req.ticks.forEach((key, i) => {
        const t = value<readonly bigint[]>(tickResults[i]);
        if (t === undefined) ticks.delete(key);
        else ticks.set(key, { feeGrowthOutside0X128: t[2]!, feeGrowthOutside1X128: t[3]! });
      });

      const feesOf = (range: LensVaultState["base"]) => {
        if (range.liquidity === 0n) return null;
        const position = positions.get(`${range.lower}:${range.upper}`);
        const lower = ticks.get(tickKey(vault.pool, range.lower));
        const upper = ticks.get(tickKey(vault.pool, range.upper));
        // A position the pool does not hold at this liquidity is not the one the lens reported: read it again.
        if (
          position === undefined ||
          lower === undefined ||
          upper === undefined ||
          position[0] !== range.liquidity
        )
          return null;
        const fees = positionFees({
          tickLower: range.lower,
          tickUpper: range.upper,
          tickCurrent: pool.tick,
          feeGrowthGlobal0X128: pool.feeGrowthGlobal0X128,
          feeGrowthGlobal1X128: pool.feeGrowthGlobal1X128,
          lower,
          upper,
          position: {
            liquidity: position[0],
            feeGrowthInside0LastX128: position[1],
            feeGrowthInside1LastX128: position[2],
            tokensOwed0: position[3],
            tokensOwed1: position[4],
          },
        });
        return { amount0: fees.amount0, amount1: fees.amount1 };
      };
      const result = toVaultState(state, { base: feesOf(state.base), limit: feesOf(state.limit) });
      kept.set(vault.address, { lens: state, positions });
      if (result.holderFeesOwed0 === null) forceFull.add(vault.address);
      else forceFull.delete(vault.address);
      return result;
    },

    stale: (_vault, state) => state.holderFeesOwed0 === null,

    finish(block) {
      lastBlock = block.hash;
      for (const [pool, tick] of blockPools) poolTicks.set(pool, tick);
      // Keep only the ticks some vault still holds.
      const used = new Set<string>();
      for (const [address, { lens: state }] of kept) {
        const pool = poolOf.get(address);
        if (pool !== undefined)
          for (const r of held(state)) for (const t of [r.tickLower, r.tickUpper]) used.add(tickKey(pool, t));
      }
      for (const key of ticks.keys()) if (!used.has(key)) ticks.delete(key);
    },

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

const big = (_key: string, v: unknown) => (typeof v === "bigint" ? v.toString() : v);
