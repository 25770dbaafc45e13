import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { getContract, type Address } from "viem";

import {
  nonfungiblePositionManagerAbi,
  quoterV2Abi,
  swapRouterAbi,
  uniswapV3FactoryAbi,
  uniswapV3PoolAbi,
  weth9Abi,
} from "./abi/uniswap.js";
import { MAINNET } from "./addresses.js";

/**
 * Where the Uniswap v3 contracts of a connection come from. Both targets put every contract at its
 * mainnet address, so code and tests use `MAINNET` addresses either way:
 * - `mirror`: the npm artifacts deployed on an empty simulated chain (tokens are stand-ins, USDC mintable);
 * - `fork`: a fork of Ethereum mainnet, where everything is the real deployment.
 */
export type UniswapTarget = "mirror" | "fork";

export interface UniswapDeployment {
  target: UniswapTarget;
  factory: Address;
  swapRouter: Address;
  positionManager: Address;
  quoterV2: Address;
  weth: Address;
  usdc: Address;
  pools: { usdcWeth005: Address; usdcWeth03: Address };
}

export function mainnetDeployment(target: UniswapTarget): UniswapDeployment {
  const { factory, swapRouter, positionManager, quoterV2, weth, usdc, pools } = MAINNET;
  return { target, factory, swapRouter, positionManager, quoterV2, weth, usdc, pools: { ...pools } };
}

/** Typed viem contract instances of a deployment, bound to the connection's first wallet for writes. */
export async function uniswapContracts(viem: HardhatViemHelpers, deployment: UniswapDeployment) {
  const client = { public: await viem.getPublicClient(), wallet: (await viem.getWalletClients())[0]! };
  return {
    factory: getContract({ address: deployment.factory, abi: uniswapV3FactoryAbi, client }),
    swapRouter: getContract({ address: deployment.swapRouter, abi: swapRouterAbi, client }),
    positionManager: getContract({
      address: deployment.positionManager,
      abi: nonfungiblePositionManagerAbi,
      client,
    }),
    quoterV2: getContract({ address: deployment.quoterV2, abi: quoterV2Abi, client }),
    weth: getContract({ address: deployment.weth, abi: weth9Abi, client }),
    pool: (address: Address) => getContract({ address, abi: uniswapV3PoolAbi, client }),
  };
}
