import { createWriteStream, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";

import type { NetworkManager } from "hardhat/types/network";
import { erc20Abi, maxUint256, parseGwei, type Address } from "viem";

import { priceFromSqrtPriceX96, priceFromTick } from "../analytics/price.js";
import type { BacktestResult, RunResult } from "../backtest/backtestResult.js";
import { createBacktestRecorder, type BacktestRecorder } from "../backtest/createBacktestRecorder.js";
import { depositAmounts } from "../backtest/depositAmounts.js";
import { pricePath, type PricePathStep } from "../backtest/pricePath.js";
import { runBacktestOnPath } from "../backtest/runBacktest.js";
import { uniswapV3PoolAbi } from "../chain/abi/uniswap.js";
import { MAINNET } from "../chain/addresses.js";
import { fundAccount } from "../chain/fundAccount.js";
import { deployMainnetMirror } from "../chain/mirror/deployMainnetMirror.js";
import { movePriceTo } from "../chain/movePriceTo.js";
import { readPoolState } from "../chain/readPoolState.js";
import { serveJsonRpc } from "../chain/serveJsonRpc.js";
import { rangeVaultAbi } from "../chain/vault/abi.js";
import { deployVault } from "../chain/vault/deployVault.js";
import { deployVaultFactory } from "../chain/vault/deployVaultFactory.js";
import { defaultVaultParams, type VaultParams } from "../chain/vault/params.js";
import { readMinuteBarsCsv } from "../data/readMinuteBarsCsv.js";
import { sharedDataFile } from "../data/sharedDataFile.js";
import { keeperConfigSchema, type KeeperConfigInput } from "../keeper/config/schema.js";
import type { ExecuteCallReturnType } from "../keeper/execute/executeCall.js";
import type { FollowTransactionReturnType } from "../keeper/execute/followTransaction.js";
import type { BlockSummary } from "../keeper/runKeeper.js";
import { startKeeper } from "../keeper/startKeeper.js";
import type { VaultState } from "../keeper/vault/vaultState.js";
import { getStrategy } from "../strategies/registry.js";
import { getSqrtRatioAtTick } from "../uniswap/tickMath.js";
import { compareRuns, type RunComparison } from "./compareRuns.js";
import { DemoError } from "./errors.js";

const DAY = "mainnet-usdc-weth-005-2024-01-05";
const POOL = MAINNET.pools.usdcWeth005;
const USDC = { symbol: "USDC", decimals: 6 };
const WETH = { symbol: "WETH", decimals: 18 };
// Every block's base fee: with the keeper's 2 gwei tip, gas costs 20 gwei, the fast backtest's gas price.
const BASE_FEE = parseGwei("18");
const PRIORITY_FEE_GWEI = 2;
const KEEPER_INDEX = 9;
// The measure settings the keeper and the fast backtest share.
const VOLATILITY_HALF_LIFE = 7_200;
const RATE_HALF_LIFE = 21_600;
const INITIAL_VOLATILITY = 0.6;
const RISK_HORIZON = 3_600;

/**
 * The inventory strategy's parameters `npm start` runs with: narrower and quicker than its defaults, so that on a
 * calm day (ETH within 2 % of its open) the keeper is seen rebalancing on drift a few times. With the defaults it
 * rebalances once, into a wide range, and holds: the economic check finds no narrower range worth the gas.
 */
export const DEMO_PARAMS = {
  widthMultiples: [1],
  targetProbability: 0.5,
  driftBand: 0.1,
  minIntervalSeconds: 900,
};

export interface RunDemoOptions {
  network: NetworkManager;
  /** Recorded minutes per block: each block moves the price to the close of every `minutesPerStep`-th minute. */
  minutesPerStep?: number;
  /** Minutes of the day replayed, from 00:00 (at most 1,440). */
  minutes?: number;
  /** Value deposited, USDC; split at the vault's target mix at the first price. */
  capital?: number;
  strategy?: string;
  params?: Record<string, unknown>;
  vault?: Partial<VaultParams>;
  /** Where the report, the keeper's database and its log go (emptied first). */
  outDir: string;
  /** Told what was set up (addresses, the deposit, the keeper's endpoint). */
  onSetup?: (line: string) => void;
  /** Told after every replayed block (a status line). */
  onStatus?: (status: DemoStatus) => void;
  /** Told of what the keeper did: rebalances mined, refusals. */
  onEvent?: (line: string) => void;
}

/** What the demo shows after each block. */
export interface DemoStatus {
  step: number;
  steps: number;
  /** Recorded (and chain) time, seconds. */
  timestamp: number;
  /** USDC per ETH. */
  ethPrice: number;
  /** The base range in USDC per ETH, low to high (null before the first rebalance). */
  base: [number, number] | null;
  inRange: boolean;
  /** Token1 (WETH) value share minus the target. */
  drift: number;
  /** Impermanent loss since the deposit, fraction of holding's value (≤ 0 a loss). */
  impermanentLoss: number;
  /** Realised LVR and fees since the deposit, USDC. */
  lvr: number;
  fees: number;
  value: number;
  rebalances: number;
}

export interface RunDemoReturnType {
  /** The on-chain run (keeper, real vault, real gas), the fast backtest of the same path, and the baselines. */
  result: BacktestResult;
  chain: RunResult;
  fast: RunResult;
  comparison: RunComparison;
  blocks: number;
  keeperTransactions: number;
  wallMs: number;
}

type Outcome = ExecuteCallReturnType | FollowTransactionReturnType;

/**
 * The end-to-end demo: the in-process chain with the mainnet mirror, clocked to 2024-01-05; a RangeVault on
 * USDC/WETH 0.05 % with a deposit; the real keeper (startKeeper, over HTTP on 127.0.0.1, SQLite database,
 * confirmations 0) keeping it with a strategy of the registry; and the day's recorded minute closes driven into
 * the pool one block each through the real SwapRouter. Blocks are mined by hand (automine off) so every one has
 * the recorded time and an 18 gwei base fee, and the keeper's rebalance lands in the block after the move, a
 * second later (the fast backtest executes it with the same delay). The vault's steps (read by the keeper) feed the backtester's recorder, so the demo ends with the
 * backtest's report; the fast backtest of the same path (the same pool state, moves and strategy, through the
 * vault model) must agree with it (compareRuns states the tolerance).
 */
export async function runDemo(options: RunDemoOptions): Promise<RunDemoReturnType> {
  const started = performance.now();
  const minutesPerStep = options.minutesPerStep ?? 2;
  const minutes = options.minutes ?? 1_440;
  if (!Number.isInteger(minutesPerStep) || minutesPerStep < 1 || minutesPerStep > 60)
    throw new DemoError(
      "minutesPerStep",
      `expected a whole number of minutes from 1 to 60, got ${minutesPerStep}`,
    );
  if (!Number.isInteger(minutes) || minutes < minutesPerStep || minutes > 1_440)
    throw new DemoError("minutes", `expected a whole number from ${minutesPerStep} to 1440, got ${minutes}`);
  const capital = options.capital ?? 1_000_000;
  if (!(capital > 0 && capital <= 5_000_000))
    throw new DemoError("capital", `expected a USDC amount above 0 and at most 5,000,000, got ${capital}`);
  const strategyName = options.strategy ?? "inventory";
  const strategy = getStrategy(strategyName);
  const params = strategy.parseParams(options.params ?? {});
  const vaultParams: VaultParams = { ...defaultVaultParams(10), ...options.vault };

  const bars = readMinuteBarsCsv(sharedDataFile(DAY, "minute.csv")).slice(0, minutes);
  const moves = bars
    .filter((_, i) => (i + 1) % minutesPerStep === 0)
    .map((bar) => ({ timestamp: bar.timestamp + 60, sqrtPriceX96: getSqrtRatioAtTick(bar.closeTick) }));
  const start = bars[0]!.timestamp;

  rmSync(options.outDir, { recursive: true, force: true });
  mkdirSync(options.outDir, { recursive: true });

  // The chain's clock starts so that the mirror's hour of oracle warm-up ends before the day's first second.
  const connection = await options.network.create({
    override: { initialDate: new Date((start - 3_600 - 600) * 1000) },
  });
  const abort = new AbortController();
  let server: Awaited<ReturnType<typeof serveJsonRpc>> | null = null;
  let keeperDone: Promise<void> | null = null;
  try {
    const { viem } = connection;
    const deployment = await deployMainnetMirror(viem);
    options.onSetup?.(
      `mainnet mirror: Uniswap v3 factory ${deployment.factory}, USDC/WETH 0.05 % pool ${POOL} (2024-01-05 00:00 state)`,
    );
    const publicClient = await viem.getPublicClient();
    const testClient = await viem.getTestClient();
    const wallets = await viem.getWalletClients();
    const [owner, depositor, trader] = wallets;
    const keeperAccount = wallets[KEEPER_INDEX]!.account.address;

    const { factory, lens } = await deployVaultFactory(viem, MAINNET.factory);
    const vault = await deployVault(viem, {
      factory,
      pool: POOL,
      name: "Rangekeeper USDC/WETH demo",
      symbol: "rkDEMO",
      owner: owner!.account.address,
      keeper: keeperAccount,
      treasury: owner!.account.address,
      protocolFeeBps: 0,
      params: vaultParams,
    });
    // The trader moves the whole day's price path: far more than the mirror's default funding.
    await fundAccount(viem, deployment, trader!.account.address, {
      usdc: 2_000_000_000n * 10n ** 6n,
      weth: 1_000_000n * 10n ** 18n,
    });
    const approve = async (wallet: typeof depositor, token: Address, spender: Address) =>
      publicClient.waitForTransactionReceipt({
        hash: await wallet!.writeContract({
          address: token,
          abi: erc20Abi,
          functionName: "approve",
          args: [spender, maxUint256],
        }),
      });
    for (const token of [deployment.usdc, deployment.weth]) {
      await approve(depositor, token, vault);
      await approve(trader, token, deployment.swapRouter);
    }

    // From here on every block is mined by hand, at its recorded time and with the same base fee; one block at
    // that fee first, so that wallets price their transactions from it.
    await testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: BASE_FEE });
    await testClient.mine({ blocks: 1 });
    await testClient.setAutomine(false);
    // Nobody else mines from here on, so the head is known without asking the chain.
    let head = await publicClient.getBlockNumber();
    const mineAt = async (timestamp: number) => {
      await testClient.setNextBlockBaseFeePerGas({ baseFeePerGas: BASE_FEE });
      await testClient.setNextBlockTimestamp({ timestamp: BigInt(timestamp) });
      await testClient.mine({ blocks: 1 });
      return ++head;
    };
    const [sqrtPriceAtStart] = await publicClient.readContract({
      address: POOL,
      abi: uniswapV3PoolAbi,
      functionName: "slot0",
    });
    const amounts = depositAmounts({
      capital,
      numeraire: 0,
      token0: USDC,
      token1: WETH,
      price: priceFromSqrtPriceX96(sqrtPriceAtStart),
      targetShare1: vaultParams.targetToken1Bps / 10_000,
    });
    const depositHash = await depositor!.writeContract({
      address: vault,
      abi: rangeVaultAbi,
      functionName: "deposit",
      args: [amounts.amount0, amounts.amount1, 0n, 0n, 0n, depositor!.account.address, maxUint256],
    });
    await mineAt(start);
    const deposited = await publicClient.waitForTransactionReceipt({ hash: depositHash });
    if (deposited.status !== "success") throw new Error(`the demo's deposit reverted (${depositHash})`);
    options.onSetup?.(
      `vault ${vault} (keeper: account ${KEEPER_INDEX}, ${keeperAccount}); deposited ${(Number(amounts.amount0) / 1e6).toLocaleString("en-US")} USDC and ${(Number(amounts.amount1) / 1e18).toFixed(4)} WETH (${capital.toLocaleString("en-US")} USDC of value) at ${clock(start)}`,
    );
    const { state: poolAtStart } = await readPoolState(publicClient, {
      pool: POOL,
      observations: true,
      blockNumber: deposited.blockNumber,
    });

    // The keeper, as `hardhat keeper` runs it, attached over HTTP to this chain.
    server = await serveJsonRpc(connection.provider);
    const configInput: KeeperConfigInput = {
      chainId: await publicClient.getChainId(),
      rpc: { urls: [server.url], pollingIntervalMs: 5 },
      confirmations: 0,
      signer: { type: "hardhat", index: KEEPER_INDEX },
      gas: { maxPriorityFeePerGasGwei: PRIORITY_FEE_GWEI, maxFeePerGasGwei: 100 },
      vaultLens: lens,
      measure: {
        volatilityHalfLifeSeconds: VOLATILITY_HALF_LIFE,
        rateHalfLifeSeconds: RATE_HALF_LIFE,
        initialVolatility: INITIAL_VOLATILITY,
        riskHorizonSeconds: RISK_HORIZON,
      },
      vaults: [
        {
          name: "usdc-weth",
          address: vault,
          pool: POOL,
          strategy: { name: strategyName, params: options.params ?? {} },
          // The strategy and the vault pace rebalances here, as in the backtest; the keeper adds no limit of its own.
          risk: { minRebalanceIntervalSeconds: 0, maxRebalancesPerDay: 1_000 },
          tickTolerance: 10,
        },
      ],
      metrics: { enabled: false },
      database: { path: join(options.outDir, "keeper.sqlite") },
      log: { level: "info" },
    };
    const config = keeperConfigSchema.parse(configInput);
    options.onSetup?.(
      `keeper: strategy ${strategyName} ${JSON.stringify(params)}, RPC ${server.url}, database ${config.database.path}`,
    );

    const recorder: BacktestRecorder = createBacktestRecorder({
      name: `${strategyName} (keeper, on chain)`,
      role: "strategy",
      params,
      token0: USDC,
      token1: WETH,
      numeraire: 0,
      deposit: { amount0: Number(amounts.amount0), amount1: Number(amounts.amount1) },
      targetShare1: vaultParams.targetToken1Bps / 10_000,
      riskHorizonSeconds: RISK_HORIZON,
    });
    const moveBlocks = new Set<bigint>([deposited.blockNumber]);
    const blockWaiters = new Map<bigint, () => void>();
    const outcomeWaiters: ((outcome: Outcome) => void)[] = [];
    let collected0 = 0;
    let collected1 = 0;
    let rebalances = 0;
    let keeperTransactions = 0;
    let lastDecision: BlockSummary["decisions"][number] | null = null;
    /** The Rebalance event of the keeper's transaction, seen by the keeper in the block that holds it. */
    interface SeenRebalance {
      timestamp: number;
      number: bigint;
      state: VaultState;
      swapAmount0: bigint;
      swapAmount1: bigint;
    }
    let rebalanceSeen: SeenRebalance | null = null;
    let status: DemoStatus | null = null;

    const onBlockDone = (summary: BlockSummary) => {
      const d = summary.decisions[0]!;
      const snapshot = d.snapshot;
      const state = snapshot.vaultState as VaultState | null;
      const number = summary.block.number;
      if (state !== null) {
        for (const event of snapshot.vaultEvents) {
          if (event.eventName === "FeesCollected") {
            collected0 += Number((event.args.fees0 as bigint) - (event.args.protocolFees0 as bigint));
            collected1 += Number((event.args.fees1 as bigint) - (event.args.protocolFees1 as bigint));
          } else if (event.eventName === "Rebalance")
            rebalanceSeen = {
              timestamp: Number(summary.block.timestamp),
              number,
              state,
              swapAmount0: event.args.swapAmount0 as bigint,
              swapAmount1: event.args.swapAmount1 as bigint,
            };
        }
        if (moveBlocks.has(number)) {
          recorder.step({
            timestamp: Number(summary.block.timestamp),
            sqrtPriceX96: snapshot.pool.sqrtPriceX96,
            tick: snapshot.pool.tick,
            base: state.base,
            limit: state.limit,
            idle0: Number(state.idle0),
            idle1: Number(state.idle1),
            uncollected0: Number(state.holderFeesOwed0 ?? 0n),
            uncollected1: Number(state.holderFeesOwed1 ?? 0n),
            feesEarned0: collected0 + Number(state.holderFeesOwed0 ?? 0n),
            feesEarned1: collected1 + Number(state.holderFeesOwed1 ?? 0n),
            volatility: d.strategySnapshot?.market.volatility ?? null,
          });
          const m = d.measurements;
          const ethPrice = 1e12 / (m.price as number);
          const base = state.base;
          status = {
            step: status === null ? 0 : status.step + 1,
            steps: moves.length,
            timestamp: Number(summary.block.timestamp),
            ethPrice,
            base: base === null ? null : [ethPriceAtTick(base.tickUpper), ethPriceAtTick(base.tickLower)],
            inRange: m.inRange === true,
            drift: m.drift ?? 0,
            impermanentLoss: m.impermanentLoss ?? 0,
            lvr: (m.lvr ?? 0) * ethPrice,
            fees: (m.fees ?? 0) * ethPrice,
            value: (m.value ?? 0) * ethPrice,
            rebalances,
          };
          options.onStatus?.(status);
        }
      }
      if (d.action === "rebalance") lastDecision = d;
      else if (d.action === "blocked")
        options.onEvent?.(
          `${clock(Number(summary.block.timestamp))}  rebalance blocked: ${d.reasons.at(-1)}`,
        );
      blockWaiters.get(number)?.();
      blockWaiters.delete(number);
    };
    const onExecuted = (outcome: Outcome) => {
      if (outcome.status === "mined" || outcome.status === "reverted") keeperTransactions++;
      if (outcome.status !== "mined")
        options.onEvent?.(
          `keeper: rebalance ${outcome.status}${"reason" in outcome ? `: ${outcome.reason}` : ""}`,
        );
      outcomeWaiters.shift()?.(outcome);
    };
    const processed = (blockNumber: bigint) =>
      new Promise<void>((resolve) => blockWaiters.set(blockNumber, resolve));
    const nextOutcome = () => new Promise<Outcome>((resolve) => outcomeWaiters.push(resolve));

    const logFile = createWriteStream(join(options.outDir, "keeper.log"));
    const firstBlock = processed(deposited.blockNumber);
    keeperDone = startKeeper({
      config,
      signal: abort.signal,
      logDestination: logFile,
      onBlockDone,
      onExecuted,
    }).finally(() => logFile.end());
    await Promise.race([firstBlock, keeperDone.then(() => Promise.reject(new Error("the keeper stopped")))]);

    let nonce = await publicClient.getTransactionCount({ address: keeperAccount });
    /** After a block the keeper decided to rebalance in: mine its transaction in the next block, a second later. */
    const settleRebalance = async (timestamp: number) => {
      if (lastDecision === null || lastDecision.snapshot.block.number !== head) return;
      const decided = lastDecision;
      const outcome = nextOutcome();
      const stopped = keeperDone!.then(() => {
        throw new Error("the keeper stopped while a rebalance was being sent");
      });
      const sent = await Promise.race([
        (async () => {
          while (
            (await publicClient.getTransactionCount({ address: keeperAccount, blockTag: "pending" })) ===
            nonce
          )
            await new Promise((resolve) => setTimeout(resolve, 1));
          return true;
        })(),
        outcome.then(() => false),
        stopped,
      ]);
      const common = {
        timestamp: timestamp + 1,
        trigger: decided.decision.trigger ?? null,
        reasons: decided.reasons,
        economics: decided.decision.economics ?? null,
        sqrtPriceX96Before: decided.pool.sqrtPriceX96,
      };
      const none = {
        swapAmount0: 0n,
        swapAmount1: 0n,
        gasUsed: 0,
        gasCostToken1: 0,
        base: null,
        limit: null,
      };
      if (!sent) {
        // Refused before signing (the simulation reverted): the backtest records the vault's revert the same way.
        const refused = await outcome;
        recorder.rebalance({
          ...common,
          ...none,
          reverted: "reason" in refused ? refused.reason : refused.status,
        });
        return;
      }
      nonce++;
      const mined = processed(head + 1n);
      await mineAt(timestamp + 1);
      const [settled] = await Promise.race([Promise.all([outcome, mined]), stopped]);
      // Set by onBlockDone while this function awaited; TypeScript cannot see that.
      const seen = rebalanceSeen as SeenRebalance | null;
      rebalanceSeen = null;
      if (settled.status !== "mined" || seen === null) {
        recorder.rebalance({ ...common, ...none, reverted: `transaction ${settled.status} on chain` });
        return;
      }
      const gasUsed = settled.gasUsed ?? 0n;
      const range = (r: VaultState["base"]) =>
        r === null ? null : { tickLower: r.tickLower, tickUpper: r.tickUpper, liquidity: r.liquidity };
      rebalances++;
      recorder.rebalance({
        ...common,
        swapAmount0: seen.swapAmount0,
        swapAmount1: seen.swapAmount1,
        gasUsed: Number(gasUsed),
        // Gas is paid in ETH and token1 is WETH: a wei is a raw unit of token1.
        gasCostToken1: Number(gasUsed * (settled.effectiveGasPrice ?? 0n)),
        base: range(seen.state.base),
        limit: range(seen.state.limit),
        reverted: null,
      });
      options.onEvent?.(
        `${clock(seen.timestamp)}  rebalance #${rebalances} (${decided.decision.trigger ?? "?"}) in block ${seen.number}: base ${fmtRange(seen.state.base)}, limit ${fmtRange(seen.state.limit)} USDC/ETH, gas ${Number(gasUsed).toLocaleString("en-US")}`,
      );
    };
    await settleRebalance(start);
    /** Mines a move's block at its time and waits for the keeper to have processed it. */
    const mineMove = async (timestamp: number) => {
      moveBlocks.add(head + 1n);
      const done = processed(head + 1n);
      await mineAt(timestamp);
      await done;
    };
    for (const move of moves) {
      // Set before the swap is priced: its gas estimate must see the block's time (a new oracle observation).
      await testClient.setNextBlockTimestamp({ timestamp: BigInt(move.timestamp) });
      const { hash } = await movePriceTo(viem, deployment, {
        pool: POOL,
        sqrtPriceX96: move.sqrtPriceX96,
        trader: trader!.account.address,
        mine: () => mineMove(move.timestamp),
      });
      // Already at the target: still a block, so the keeper sees the time pass as the backtest does.
      if (hash === null) await mineMove(move.timestamp);
      await settleRebalance(move.timestamp);
    }
    abort.abort();
    await keeperDone;
    const chain = recorder.finish();

    // The fast twin: the same pool state, the same moves, the same strategy, through the vault model.
    const steps: PricePathStep[] = [{ timestamp: start, sqrtPriceX96: null }, ...moves];
    const path = pricePath({ state: poolAtStart, steps, source: `${DAY} minute closes` });
    const common = {
      path,
      source: `${DAY}/minute.csv: the closes of every ${minutesPerStep === 1 ? "minute" : `${minutesPerStep} minutes`}, ${clock(start)}–${clock(moves.at(-1)!.timestamp)}`,
      pool: { fee: 500, tickSpacing: 10, token0: USDC, token1: WETH },
      start,
      end: moves.at(-1)!.timestamp,
      strategy: strategyName,
      params: options.params ?? {},
      numeraire: 0 as const,
      capital,
      gas: { gasPriceGwei: Number(BASE_FEE) / 1e9 + PRIORITY_FEE_GWEI },
      vault: vaultParams,
      protocolFeeBps: 0,
      warmupSeconds: 0,
      executionDelaySeconds: 1,
      volatilityHalfLifeSeconds: VOLATILITY_HALF_LIFE,
      initialVolatility: INITIAL_VOLATILITY,
      feeRateHalfLifeSeconds: RATE_HALF_LIFE,
      riskHorizonSeconds: RISK_HORIZON,
    };
    const backtest = runBacktestOnPath(common);
    const fast = { ...backtest.runs[0]!, name: `${strategyName} (fast backtest)` };
    const comparison = compareRuns(chain, fast, capital);
    const result: BacktestResult = {
      meta: {
        ...backtest.meta,
        assumptions: [
          `The first run is the real keeper on the in-process chain: ${moves.length} blocks of price moves, the vault's rebalances mined with the gas of their receipts at ${common.gas.gasPriceGwei} gwei. The second is the fast backtest of the same path (the same strategy code through the vault model); the two must agree: ${comparison.tolerance}.`,
          ...backtest.meta.assumptions,
        ],
      },
      runs: [chain, fast, ...backtest.runs.slice(1)],
    };
    return {
      result,
      chain,
      fast,
      comparison,
      blocks: Number(head - deposited.blockNumber) + 1,
      keeperTransactions,
      wallMs: performance.now() - started,
    };
  } finally {
    abort.abort();
    await keeperDone?.catch(() => undefined);
    await server?.close();
    await connection.close();
  }
}

/** hh:mm of a timestamp, UTC. */
export function clock(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(11, 16);
}

/** USDC per ETH at a tick of the pool (token0 USDC, 6 decimals; token1 WETH, 18). */
function ethPriceAtTick(tick: number): number {
  return 1e12 / priceFromTick(tick);
}

/** A range as USDC per ETH, low to high (the upper tick is the lower ETH price). */
function fmtRange(range: { tickLower: number; tickUpper: number } | null): string {
  if (range === null) return "none";
  const usd = (tick: number) => Math.round(ethPriceAtTick(tick)).toLocaleString("en-US");
  return `${usd(range.tickUpper)}–${usd(range.tickLower)}`;
}
