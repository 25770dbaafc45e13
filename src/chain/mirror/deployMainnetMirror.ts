import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { Token } from "@uniswap/sdk-core";
import { Pool, Position, nearestUsableTick, TickMath } from "@uniswap/v3-sdk";
import {
  erc20Abi,
  getAddress,
  keccak256,
  maxUint256,
  parseEther,
  stringToHex,
  toHex,
  type Address,
  type Hex,
} from "viem";

import { nonfungiblePositionManagerAbi, uniswapV3FactoryAbi, uniswapV3PoolAbi } from "../abi/uniswap.js";
import { MAINNET, UNISWAP_DEPLOYER_NONCES } from "../addresses.js";
import { linkedBytecode, readNpmArtifact, type NpmArtifactName } from "../artifacts.js";
import { fundAccount } from "../fundAccount.js";
import { mainnetDeployment, type UniswapDeployment } from "../uniswap.js";
import { placeMulticall3 } from "./placeMulticall3.js";
import { LIQUIDITY_LADDER, POOL_SEEDS, type MirrorPoolName } from "./seed.js";

export interface DeployMainnetMirrorOptions {
  /** Oracle observations each pool keeps (TWAP depth). Default 500: ~100 min of one swap per 12 s block. */
  observationCardinality?: number;
  /** Time advanced after seeding so TWAP windows up to this length can be observed at once. Default 3600 s. */
  warmUpSeconds?: number;
  /** What every wallet account of the connection receives. Default 10M USDC and 1,000 WETH. */
  fundEach?: { usdc: bigint; weth: bigint };
}

export class MirrorTargetNotEmptyError extends Error {
  constructor(address: Address) {
    super(
      `The chain already has code at the Uniswap v3 factory address ${address}: it is a fork of mainnet or the ` +
        `mirror is already deployed. Use connectUniswap() to get its handles instead of deploying again.`,
    );
    this.name = "MirrorTargetNotEmptyError";
  }
}

/** Liquidity provider of the seeded ladder: a fixed address nobody holds a key for. */
export const MIRROR_LP: Address = getAddress(
  `0x${keccak256(stringToHex("rangekeeper mirror LP")).slice(-40)}`,
);

/**
 * Puts the real Uniswap v3 contracts (npm artifacts) at their mainnet addresses on an empty simulated
 * chain, with WETH9 and a 6-decimals USDC stand-in at the real token addresses, and recreates the USDC/WETH
 * 0.05 % and 0.3 % pools at their real addresses, prices and active liquidity of 2024-01-05 00:00, and
 * Multicall3 at its canonical address (batched reads work as on mainnet).
 *
 * Contracts land at their mainnet addresses because they are deployed by Uniswap's real deployer (an
 * impersonated account) at the nonces it used on mainnet: CREATE addresses and the immutables baked into
 * the code (NoDelegateCall's own address, factory/WETH9 in the periphery) come out exactly as on mainnet.
 */
export async function deployMainnetMirror(
  viem: HardhatViemHelpers,
  options: DeployMainnetMirrorOptions = {},
): Promise<UniswapDeployment> {
  const { observationCardinality = 500, warmUpSeconds = 3600 } = options;
  const fundEach = options.fundEach ?? { usdc: 10_000_000n * 10n ** 6n, weth: parseEther("1000") };
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();

  if ((await publicClient.getCode({ address: MAINNET.factory })) !== undefined) {
    throw new MirrorTargetNotEmptyError(MAINNET.factory);
  }

  await placeTokens(viem);
  await deployUniswap(viem);
  await placeMulticall3(viem);

  const deployment = mainnetDeployment("mirror");
  for (const name of Object.keys(POOL_SEEDS) as MirrorPoolName[]) {
    await createSeededPool(viem, deployment, name, observationCardinality);
  }
  await testClient.increaseTime({ seconds: warmUpSeconds });
  await testClient.mine({ blocks: 1 });

  for (const wallet of await viem.getWalletClients()) {
    await fundAccount(viem, deployment, wallet.account.address, fundEach);
  }
  return deployment;
}

/** Deploys `code` normally, then copies its runtime code and first storage slots to `target`. */
async function placeAt(
  viem: HardhatViemHelpers,
  target: Address,
  deploy: () => Promise<Address>,
  slots = 16,
) {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const source = await deploy();
  const bytecode = (await publicClient.getCode({ address: source }))!;
  await testClient.setCode({ address: target, bytecode });
  for (let slot = 0; slot < slots; slot++) {
    const value = await publicClient.getStorageAt({ address: source, slot: toHex(slot) });
    if (value !== undefined && BigInt(value) !== 0n) {
      await testClient.setStorageAt({ address: target, index: slot, value });
    }
  }
}

/**
 * WETH9 and the USDC stand-in have no address-dependent immutables, so a code + storage copy is exact.
 * Their low slots hold name, symbol and decimals (WETH9) or name and symbol (OpenZeppelin ERC20).
 */
async function placeTokens(viem: HardhatViemHelpers) {
  const [wallet] = await viem.getWalletClients();
  const publicClient = await viem.getPublicClient();
  await placeAt(viem, MAINNET.weth, async () => {
    const { abi, bytecode } = readNpmArtifact("WETH9");
    const hash = await wallet!.deployContract({ abi, bytecode, args: [] });
    return (await publicClient.waitForTransactionReceipt({ hash })).contractAddress!;
  });
  await placeAt(viem, MAINNET.usdc, async () => {
    const token = await viem.deployContract("MirrorToken", ["USD Coin (mirror stand-in)", "USDC", 6]);
    return token.address;
  });
}

async function deployUniswap(viem: HardhatViemHelpers) {
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  const deployer = MAINNET.uniswapDeployer;
  await testClient.impersonateAccount({ address: deployer });
  await testClient.setBalance({ address: deployer, value: parseEther("1000") });
  const wallet = await viem.getWalletClient(deployer);

  const deployAtNonce = async (
    name: NpmArtifactName,
    nonce: number,
    expected: Address,
    args: unknown[],
    code?: Hex,
  ) => {
    await testClient.setNonce({ address: deployer, nonce });
    const { abi } = readNpmArtifact(name);
    const hash = await wallet.deployContract({ abi, bytecode: code ?? linkedBytecode(name), args });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success" || getAddress(receipt.contractAddress!) !== expected) {
      throw new Error(
        `${name} did not land at ${expected} (status ${receipt.status}, at ${receipt.contractAddress})`,
      );
    }
  };

  const n = UNISWAP_DEPLOYER_NONCES;
  await deployAtNonce("UniswapV3Factory", n.factory, MAINNET.factory, []);
  await deployAtNonce("SwapRouter", n.swapRouter, MAINNET.swapRouter, [MAINNET.factory, MAINNET.weth]);
  await deployAtNonce("NFTDescriptor", n.nftDescriptorLibrary, MAINNET.nftDescriptorLibrary, []);
  // On mainnet the descriptor sits behind a proxy at this address; the implementation itself stands in for it.
  const descriptorCode = linkedBytecode("NonfungibleTokenPositionDescriptor", {
    NFTDescriptor: MAINNET.nftDescriptorLibrary,
  });
  await deployAtNonce(
    "NonfungibleTokenPositionDescriptor",
    n.positionDescriptor,
    MAINNET.positionDescriptor,
    [MAINNET.weth, stringToHex("ETH", { size: 32 })],
    descriptorCode,
  );
  await deployAtNonce("NonfungiblePositionManager", n.positionManager, MAINNET.positionManager, [
    MAINNET.factory,
    MAINNET.weth,
    MAINNET.positionDescriptor,
  ]);
  await deployAtNonce("QuoterV2", n.quoterV2, MAINNET.quoterV2, [MAINNET.factory, MAINNET.weth]);
  await testClient.stopImpersonatingAccount({ address: deployer });
}

async function createSeededPool(
  viem: HardhatViemHelpers,
  deployment: UniswapDeployment,
  name: MirrorPoolName,
  observationCardinality: number,
) {
  const seed = POOL_SEEDS[name];
  const expected = deployment.pools[name];
  const publicClient = await viem.getPublicClient();
  const [wallet] = await viem.getWalletClients();
  const send = async (hash: Hex) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`mirror setup transaction ${hash} reverted`);
  };

  await send(
    await wallet!.writeContract({
      address: deployment.factory,
      abi: uniswapV3FactoryAbi,
      functionName: "createPool",
      args: [deployment.usdc, deployment.weth, seed.fee],
    }),
  );
  const pool = await publicClient.readContract({
    address: deployment.factory,
    abi: uniswapV3FactoryAbi,
    functionName: "getPool",
    args: [deployment.usdc, deployment.weth, seed.fee],
  });
  if (getAddress(pool) !== expected) throw new Error(`pool ${name} landed at ${pool}, expected ${expected}`);

  const poolWrite = (
    functionName: "initialize" | "increaseObservationCardinalityNext",
    arg: bigint | number,
  ) => wallet!.writeContract({ address: pool, abi: uniswapV3PoolAbi, functionName, args: [arg] } as never);
  await send(await poolWrite("initialize", seed.sqrtPriceX96));
  await send(await poolWrite("increaseObservationCardinalityNext", observationCardinality));
  await seedLiquidity(viem, deployment, name);
}

/** Mints the LIQUIDITY_LADDER through the real NonfungiblePositionManager so active liquidity ≈ the recorded one. */
async function seedLiquidity(viem: HardhatViemHelpers, deployment: UniswapDeployment, name: MirrorPoolName) {
  const seed = POOL_SEEDS[name];
  const publicClient = await viem.getPublicClient();
  const testClient = await viem.getTestClient();
  await testClient.impersonateAccount({ address: MIRROR_LP });
  await testClient.setBalance({ address: MIRROR_LP, value: parseEther("10") });
  const lp = await viem.getWalletClient(MIRROR_LP);

  // Token objects only feed the SDK's amount math; chain id and symbols do not enter it.
  const usdc = new Token(1, deployment.usdc, 6, "USDC");
  const weth = new Token(1, deployment.weth, 18, "WETH");
  const sdkPool = new Pool(usdc, weth, seed.fee, seed.sqrtPriceX96.toString(), "0", seed.tick);
  let unassigned = seed.liquidity;
  const ranges = LIQUIDITY_LADDER.map(({ halfWidth, bps }, i) => {
    const lower = halfWidth === null ? TickMath.MIN_TICK : seed.tick - halfWidth;
    const upper = halfWidth === null ? TickMath.MAX_TICK : seed.tick + halfWidth;
    // The last range takes the rounding remainder so the ladder adds up to the recorded liquidity exactly.
    const liquidity = i === LIQUIDITY_LADDER.length - 1 ? unassigned : (seed.liquidity * bps) / 10_000n;
    unassigned -= liquidity;
    const position = new Position({
      pool: sdkPool,
      tickLower: nearestUsableTick(lower, seed.tickSpacing),
      tickUpper: nearestUsableTick(upper, seed.tickSpacing),
      liquidity: liquidity.toString(),
    });
    const { amount0, amount1 } = position.mintAmounts;
    return { position, amount0: BigInt(amount0.toString()), amount1: BigInt(amount1.toString()) };
  });

  const total0 = ranges.reduce((sum, r) => sum + r.amount0, 0n);
  const total1 = ranges.reduce((sum, r) => sum + r.amount1, 0n);
  await fundAccount(viem, deployment, MIRROR_LP, { usdc: total0, weth: total1 });
  for (const token of [deployment.usdc, deployment.weth]) {
    const hash = await lp.writeContract({
      address: token,
      abi: erc20Abi,
      functionName: "approve",
      args: [deployment.positionManager, maxUint256],
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  for (const { position, amount0, amount1 } of ranges) {
    const hash = await lp.writeContract({
      address: deployment.positionManager,
      abi: nonfungiblePositionManagerAbi,
      functionName: "mint",
      args: [
        {
          token0: deployment.usdc,
          token1: deployment.weth,
          fee: seed.fee,
          tickLower: position.tickLower,
          tickUpper: position.tickUpper,
          amount0Desired: amount0,
          amount1Desired: amount1,
          amount0Min: 0n,
          amount1Min: 0n,
          recipient: MIRROR_LP,
          deadline: maxUint256,
        },
      ],
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success")
      throw new Error(`seeding ${name} reverted at range ${position.tickLower}`);
  }
  await testClient.stopImpersonatingAccount({ address: MIRROR_LP });
}
