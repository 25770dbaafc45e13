import type { NetworkConnection } from "hardhat/types/network";
import {
  encodePacked,
  isAddressEqual,
  keccak256,
  maxUint256,
  parseEventLogs,
  type Address,
  type Hash,
} from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { defaultVaultParams } from "../../src/chain/vault/params.js";
import { centeredRebalance } from "../../src/chain/vault/rebalanceParams.js";
import { deployTestPool, deployTestVault, E18, mined, type TestPool } from "./vaultPool.js";

/** The reference scenario of ../shared/notes/domain.md, step by step, with the anchors it lists. */
export const GAS_STEPS = [
  { name: "first deposit", charmV1: 199_539, charmV2: 263_421, gamma: 208_263 },
  { name: "first rebalance", charmV1: 547_714, charmV2: 655_730, gamma: 501_516 },
  { name: "deposit, fees accrued", charmV1: 350_376, charmV2: 465_399, gamma: 382_783 },
  { name: "deposit, no new fees", charmV1: 179_056, charmV2: 234_069, gamma: 205_324 },
  { name: "withdraw 50 %", charmV1: 290_125, charmV2: 376_674, gamma: 286_040 },
  { name: "rebalance (burn 2, mint 2)", charmV1: 648_525, charmV2: 762_535, gamma: 622_927 },
  { name: "rebalance after a move", charmV1: 645_538, charmV2: 782_648, gamma: null },
  { name: "withdraw 100 %", charmV1: 237_193, charmV2: 325_538, gamma: 259_356 },
] as const;

export type GasStepName = (typeof GAS_STEPS)[number]["name"];

/** The issue's target for every rebalance after the first: 0.90 × Charm v1's 648,525. */
export const LATER_REBALANCE_CEILING = 583_672n;

export interface GasScenarioResult {
  vault: Record<GasStepName, bigint>;
  floor: Record<GasStepName, bigint>;
}

const BASE_HALF_WIDTH = 3600;
const LIMIT_WIDTH = 1200;

interface Position {
  lower: number;
  upper: number;
  liquidity: bigint;
}

/**
 * Replays the scenario twice on `connection` (whose Uniswap `deployment` is the mirror): once through a RangeVault,
 * once with the same pool operations done by a BarePoolUser (the floor), and returns each step's gasUsed.
 * Depositors: wallet 0 (first), 1 (second), 2 (third); the keeper is wallet 3.
 */
export async function runGasScenario(
  connection: NetworkConnection,
  deployment: UniswapDeployment,
): Promise<GasScenarioResult> {
  const { viem } = connection;
  const testClient = await viem.getTestClient();
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const [a, b, c, keeper] = wallets.map((w) => w.account.address) as [Address, Address, Address, Address];

  const pool = await deployTestPool(viem, deployment, { fee: 3000, cardinality: 100 });
  await testClient.increaseTime({ seconds: 3600 });
  await testClient.mine({ blocks: 1 });
  const setup = await testClient.snapshot();

  const lp = await viem.getContractAt("BarePoolUser", pool.lp);
  const move = async () => {
    await mined(viem, await lp.write.swapExactIn([true, 3000n * E18]));
    await mined(viem, await lp.write.swapExactIn([false, 1000n * E18]));
    await testClient.increaseTime({ seconds: 300 });
    await testClient.mine({ blocks: 1 });
  };
  const tick = async () =>
    (
      await publicClient.readContract({ address: pool.pool, abi: uniswapV3PoolAbi, functionName: "slot0" })
    )[1];
  const gasOf = async (hash: Hash) => (await mined(viem, hash)).gasUsed;

  // The vault run. Its events give the ranges, liquidity and amounts the floor run repeats.
  const { vault } = await deployTestVault(viem, deployment, pool, {
    params: defaultVaultParams(pool.tickSpacing),
  });
  const write = async (account: Address, functionName: string, args: readonly unknown[]) => {
    const wallet = await viem.getWalletClient(account);
    return wallet.writeContract({ address: vault, abi: rangeVaultAbi, functionName, args } as never);
  };
  const deadline = 2n ** 40n;
  const deposit = async (account: Address, amount: bigint) => {
    const receipt = await mined(
      viem,
      await write(account, "deposit", [amount, amount, 0n, 0n, 0n, account, deadline]),
    );
    const [event] = parseEventLogs({ abi: rangeVaultAbi, eventName: "Deposit", logs: receipt.logs });
    // The ranges the vault collected from: it skips a collect when the pool owes it nothing.
    const collected = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Collect", logs: receipt.logs })
      .filter((e) => isAddressEqual(e.address, pool.pool) && isAddressEqual(e.args.owner, vault))
      .map((e) => ({ lower: e.args.tickLower, upper: e.args.tickUpper }));
    return { gas: receipt.gasUsed, amount0: event!.args.amount0, amount1: event!.args.amount1, collected };
  };
  const ranges: Position[][] = [];
  const rebalance = async () => {
    const params = centeredRebalance({
      tick: await tick(),
      tickSpacing: pool.tickSpacing,
      baseHalfWidth: BASE_HALF_WIDTH,
      limitWidth: LIMIT_WIDTH,
      deadline,
    });
    const receipt = await mined(viem, await write(keeper, "rebalance", [params]));
    const [event] = parseEventLogs({ abi: rangeVaultAbi, eventName: "Rebalance", logs: receipt.logs });
    const e = event!.args;
    ranges.push([
      { lower: e.baseLower, upper: e.baseUpper, liquidity: e.baseLiquidity },
      { lower: e.limitLower, upper: e.limitUpper, liquidity: e.limitLiquidity },
    ]);
    return receipt.gasUsed;
  };
  const shares = async (account: Address) =>
    publicClient.readContract({
      address: vault,
      abi: rangeVaultAbi,
      functionName: "balanceOf",
      args: [account],
    });
  const withdrawals: { burnt: bigint[]; amount0: bigint; amount1: bigint }[] = [];
  const withdraw = async (account: Address, amount: bigint) => {
    const liquidityBefore = await liquidityOf(ranges.at(-1)!);
    const receipt = await mined(viem, await write(account, "withdraw", [amount, 0n, 0n, account, deadline]));
    const liquidityAfter = await liquidityOf(ranges.at(-1)!);
    const [event] = parseEventLogs({ abi: rangeVaultAbi, eventName: "Withdraw", logs: receipt.logs });
    withdrawals.push({
      burnt: liquidityBefore.map((l, i) => l - liquidityAfter[i]!),
      amount0: event!.args.amount0,
      amount1: event!.args.amount1,
    });
    return receipt.gasUsed;
  };
  const liquidityOf = (positions: Position[]) => positionLiquidity(connection, pool, vault, positions);

  const out: Partial<Record<GasStepName, bigint>> = {};
  const deposits: { amount0: bigint; amount1: bigint; collected: { lower: number; upper: number }[] }[] = [];
  let d = await deposit(a, 1000n * E18);
  deposits.push(d);
  out["first deposit"] = d.gas;
  out["first rebalance"] = await rebalance();
  await move();
  d = await deposit(b, 500n * E18);
  deposits.push(d);
  out["deposit, fees accrued"] = d.gas;
  d = await deposit(c, 100n * E18);
  deposits.push(d);
  out["deposit, no new fees"] = d.gas;
  out["withdraw 50 %"] = await withdraw(a, (await shares(a)) / 2n);
  out["rebalance (burn 2, mint 2)"] = await rebalance();
  await move();
  out["rebalance after a move"] = await rebalance();
  out["withdraw 100 %"] = await withdraw(b, await shares(b));

  // The floor run: the same pool operations and token transfers by a contract with no accounting and no checks.
  // It holds exactly what the vault holds (it receives the same deposits and collects, and pays the same mints and
  // withdrawals), so no balance of it goes from zero to non-zero where the vault's does not, or the other way; and
  // the depositors approve it without limit, as they approve the vault, so no allowance is written in either run.
  await testClient.revert({ id: setup });
  const bare = await viem.deployContract("BarePoolUser", [pool.pool]);
  for (const token of [pool.token0, pool.token1]) {
    const contract = await viem.getContractAt("MirrorToken", token);
    for (const account of [a, b, c]) {
      await mined(viem, await contract.write.mint([account, 10_000n * E18]));
      await mined(viem, await contract.write.approve([bare.address, maxUint256], { account }));
    }
  }
  const floor: Partial<Record<GasStepName, bigint>> = {};
  const none: Position[] = [];
  const asArgs = (positions: Position[]) => positions.filter((p) => p.liquidity > 0n);
  const depositFloor = (account: Address, positions: Position[], i: number) => {
    const { amount0, amount1, collected } = deposits[i]!;
    const pokes = asArgs(positions);
    const collect = pokes.map((p) => collected.some((q) => q.lower === p.lower && q.upper === p.upper));
    return bare.write.depositFloor([pokes, collect, amount0, amount1], { account });
  };
  const withdrawFloor = (account: Address, positions: Position[], i: number) =>
    bare.write.withdrawFloor(
      [
        asArgs(positions.map((p, j) => ({ ...p, liquidity: withdrawals[i]!.burnt[j]! }))),
        account,
        withdrawals[i]!.amount0,
        withdrawals[i]!.amount1,
      ],
      { account },
    );
  const [r1, r2, r3] = ranges as [Position[], Position[], Position[]];
  floor["first deposit"] = await gasOf(await depositFloor(a, none, 0));
  floor["first rebalance"] = await gasOf(
    await bare.write.rebalanceFloor([[], asArgs(r1)], { account: keeper }),
  );
  await move();
  floor["deposit, fees accrued"] = await gasOf(await depositFloor(b, r1, 1));
  floor["deposit, no new fees"] = await gasOf(await depositFloor(c, r1, 2));
  floor["withdraw 50 %"] = await gasOf(await withdrawFloor(a, r1, 0));
  const remaining = await positionLiquidity(connection, pool, bare.address, r1);
  floor["rebalance (burn 2, mint 2)"] = await gasOf(
    await bare.write.rebalanceFloor(
      [asArgs(r1.map((p, i) => ({ ...p, liquidity: remaining[i]! }))), asArgs(r2)],
      { account: keeper },
    ),
  );
  await move();
  floor["rebalance after a move"] = await gasOf(
    await bare.write.rebalanceFloor([asArgs(r2), asArgs(r3)], { account: keeper }),
  );
  floor["withdraw 100 %"] = await gasOf(await withdrawFloor(b, r3, 1));

  return { vault: out as Record<GasStepName, bigint>, floor: floor as Record<GasStepName, bigint> };
}

async function positionLiquidity(
  connection: NetworkConnection,
  pool: TestPool,
  owner: Address,
  positions: Position[],
): Promise<bigint[]> {
  const publicClient = await connection.viem.getPublicClient();
  return Promise.all(
    positions.map(async (p) => {
      const key = keccak256(encodePacked(["address", "int24", "int24"], [owner, p.lower, p.upper]));
      const [liquidity] = await publicClient.readContract({
        address: pool.pool,
        abi: uniswapV3PoolAbi,
        functionName: "positions",
        args: [key],
      });
      return liquidity;
    }),
  );
}
