import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { getAddress, maxUint256, type Address, type Hash } from "viem";

import { uniswapV3FactoryAbi, uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { deployVault } from "../../src/chain/vault/deployVault.js";
import { deployVaultFactory } from "../../src/chain/vault/deployVaultFactory.js";
import type { VaultParams } from "../../src/chain/vault/params.js";

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

/**
 * A fresh pool of two MirrorTokens on the real Uniswap v3 factory, as in the reference gas scenario of
 * ../shared/notes/domain.md: price `sqrtPriceX96`, `cardinality` observations, and a separate LP's `lpLiquidity` on
 * the widest range, minted through a BarePoolUser that also holds `traderFunds` of each token for swaps.
 */
export async function deployTestPool(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  options: {
    fee?: number;
    sqrtPriceX96?: bigint;
    cardinality?: number;
    lpLiquidity?: bigint;
    decimals?: [number, number];
    traderFunds?: bigint;
  } = {},
): Promise<TestPool> {
  const { fee = 3000, sqrtPriceX96 = Q96, cardinality = 100, lpLiquidity = 100_000n * E18 } = options;
  const [decimalsA, decimalsB] = options.decimals ?? [18, 18];
  const a = await viem.deployContract("MirrorToken", ["Token A", "TKA", decimalsA]);
  const b = await viem.deployContract("MirrorToken", ["Token B", "TKB", decimalsB]);
  const [t0, t1] = BigInt(a.address) < BigInt(b.address) ? [a, b] : [b, a];
  const [wallet] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  await mined(
    viem,
    await wallet!.writeContract({
      address: deployment.factory,
      abi: uniswapV3FactoryAbi,
      functionName: "createPool",
      args: [t0.address, t1.address, fee],
    }),
  );
  const pool = getAddress(
    await publicClient.readContract({
      address: deployment.factory,
      abi: uniswapV3FactoryAbi,
      functionName: "getPool",
      args: [t0.address, t1.address, fee],
    }),
  );
  await mined(
    viem,
    await wallet!.writeContract({
      address: pool,
      abi: uniswapV3PoolAbi,
      functionName: "initialize",
      args: [sqrtPriceX96],
    }),
  );
  await mined(
    viem,
    await wallet!.writeContract({
      address: pool,
      abi: uniswapV3PoolAbi,
      functionName: "increaseObservationCardinalityNext",
      args: [cardinality],
    }),
  );
  const tickSpacing = await publicClient.readContract({
    address: pool,
    abi: uniswapV3PoolAbi,
    functionName: "tickSpacing",
  });

  const lp = await viem.deployContract("BarePoolUser", [pool]);
  const funds = options.traderFunds ?? 10n ** 9n * E18;
  await mined(viem, await t0.write.mint([lp.address, funds]));
  await mined(viem, await t1.write.mint([lp.address, funds]));
  const widest = Math.trunc(887272 / tickSpacing) * tickSpacing;
  await mined(viem, await lp.write.mint([-widest, widest, lpLiquidity]));
  return { pool, token0: t0.address, token1: t1.address, tickSpacing, lp: lp.address };
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
