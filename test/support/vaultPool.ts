import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { getAddress, maxUint256, type Address, type Hash } from "viem";

import { uniswapV3FactoryAbi, uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { deployVault } from "../../src/chain/vault/deployVault.js";
import { deployVaultFactory } from "../../src/chain/vault/deployVaultFactory.js";
import { defaultVaultParams, type VaultParams } from "../../src/chain/vault/params.js";

export const Q96 = 2n ** 96n;
export const E18 = 10n ** 18n;

/** Waits for a transaction and fails the test with its hash when it reverted. */
export async function mined(viem: HardhatViemHelpers, hash: Hash) {
  const receipt = await (await viem.getPublicClient()).waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt;
}

export interface TestPool {
  pool: Address;
  token0: Address;
  token1: Address;
  tickSpacing: number;
  /** A BarePoolUser holding the separate LP's liquidity; it also trades (swapExactIn) for tests. */
  lp: Address;
}

export interface TestPoolOptions {
  fee?: number;
  sqrtPriceX96?: bigint;
  cardinality?: number;
  /** The separate LP's liquidity on the widest range (0: none). */
  lpLiquidity?: bigint;
  /** What the LP (a BarePoolUser that also trades for tests) holds of each token. */
  traderFunds?: bigint;
}

/**
 * A fresh pool of two MirrorTokens on the real Uniswap v3 factory, as in the reference gas scenario of
 * ../shared/notes/domain.md: price `sqrtPriceX96` (1 by default), `cardinality` observations, and a separate LP's
 * `lpLiquidity` on the widest range.
 */
export async function deployTestPool(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  options: TestPoolOptions & { decimals?: [number, number] } = {},
): Promise<TestPool> {
  const [decimalsA, decimalsB] = options.decimals ?? [18, 18];
  const a = await viem.deployContract("MirrorToken", ["Token A", "TKA", decimalsA]);
  const b = await viem.deployContract("MirrorToken", ["Token B", "TKB", decimalsB]);
  return createTestPool(viem, deployment, a.address, b.address, options);
}

/**
 * A pool of two given test tokens (anything with MirrorToken's open `mint`, malicious ones included), initialised,
 * with its observations grown and an LP (BarePoolUser) funded and, unless `lpLiquidity` is 0, providing liquidity.
 */
export async function createTestPool(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  tokenA: Address,
  tokenB: Address,
  options: TestPoolOptions = {},
): Promise<TestPool> {
  const { fee = 3000, sqrtPriceX96 = Q96, cardinality = 100, lpLiquidity = 100_000n * E18 } = options;
  const [token0, token1] = BigInt(tokenA) < BigInt(tokenB) ? [tokenA, tokenB] : [tokenB, tokenA];
  const [wallet] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  const write = async (
    address: Address,
    abi: typeof uniswapV3PoolAbi | typeof uniswapV3FactoryAbi,
    functionName: string,
    args: readonly unknown[],
  ) => mined(viem, await wallet!.writeContract({ address, abi, functionName, args } as never));
  await write(deployment.factory, uniswapV3FactoryAbi, "createPool", [token0, token1, fee]);
  const pool = getAddress(
    await publicClient.readContract({
      address: deployment.factory,
      abi: uniswapV3FactoryAbi,
      functionName: "getPool",
      args: [token0, token1, fee],
    }),
  );
  await write(pool, uniswapV3PoolAbi, "initialize", [sqrtPriceX96]);
  await write(pool, uniswapV3PoolAbi, "increaseObservationCardinalityNext", [cardinality]);
  const tickSpacing = await publicClient.readContract({
    address: pool,
    abi: uniswapV3PoolAbi,
    functionName: "tickSpacing",
  });

  const lp = await viem.deployContract("BarePoolUser", [pool]);
  const funds = options.traderFunds ?? 10n ** 9n * E18;
  for (const token of [token0, token1]) {
    const contract = await viem.getContractAt("MirrorToken", token);
    await mined(viem, await contract.write.mint([lp.address, funds]));
  }
  if (lpLiquidity > 0n) {
    const widest = Math.trunc(887272 / tickSpacing) * tickSpacing;
    await mined(viem, await lp.write.mint([-widest, widest, lpLiquidity]));
  }
  return { pool, token0, token1, tickSpacing, lp: lp.address };
}

export interface TestVault {
  vault: Address;
  factory: Address;
  lens: Address;
  owner: Address;
  keeper: Address;
  treasury: Address;
}

/**
 * Deploys the factory and lens, and a vault on `pool` through the factory: wallet 0 owns it, wallet 3 keeps it,
 * wallet 4 is the treasury. Every wallet gets `fund` of both tokens and approves the vault.
 */
export async function deployTestVault(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  pool: TestPool,
  options: { params: VaultParams; protocolFeeBps?: number; fund?: bigint },
): Promise<TestVault> {
  const wallets = await viem.getWalletClients();
  const [owner, keeper, treasury] = [0, 3, 4].map((i) => wallets[i]!.account.address) as [
    Address,
    Address,
    Address,
  ];
  const { factory, lens } = await deployVaultFactory(viem, deployment.factory);
  const vault = await deployVault(viem, {
    factory,
    pool: pool.pool,
    name: "Rangekeeper TKA-TKB",
    symbol: "rkTKAB",
    owner,
    keeper,
    treasury,
    protocolFeeBps: options.protocolFeeBps ?? 1000,
    params: options.params,
  });
  const fund = options.fund ?? 10n ** 6n * E18;
  for (const token of [pool.token0, pool.token1]) {
    const contract = await viem.getContractAt("MirrorToken", token);
    for (const wallet of wallets) {
      await mined(viem, await contract.write.mint([wallet.account.address, fund]));
      await mined(
        viem,
        await contract.write.approve([vault, maxUint256], { account: wallet.account.address }),
      );
    }
  }
  return { vault, factory, lens, owner, keeper, treasury };
}

/** Another vault through `sibling`'s factory, with the same owner, keeper and treasury, on `pool`. */
export async function deploySiblingVault(
  viem: HardhatViemHelpers,
  sibling: TestVault,
  pool: Address,
  options: { name: string; params: VaultParams; protocolFeeBps?: number },
): Promise<Address> {
  return deployVault(viem, {
    factory: sibling.factory,
    pool,
    name: options.name,
    symbol: options.name,
    owner: sibling.owner,
    keeper: sibling.keeper,
    treasury: sibling.treasury,
    protocolFeeBps: options.protocolFeeBps ?? 0,
    params: options.params,
  });
}

/**
 * The common fixture: a fresh reference pool (deployTestPool), an hour of oracle history, and a vault on it with
 * `params` (defaultVaultParams unless given), every wallet funded and approved.
 */
export async function deployPoolAndVault(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  options: { params?: (tickSpacing: number) => VaultParams; fund?: bigint } = {},
) {
  const pool = await deployTestPool(viem, deployment);
  const testClient = await viem.getTestClient();
  await testClient.increaseTime({ seconds: 3600 });
  await testClient.mine({ blocks: 1 });
  const params = (options.params ?? defaultVaultParams)(pool.tickSpacing);
  const v = await deployTestVault(viem, deployment, pool, { params, fund: options.fund });
  return { pool, v, params };
}
