import type { NetworkManager } from "hardhat/types/network";
import { getAddress, parseEther, type Address, type Hex } from "viem";

import { uniswapV3FactoryAbi } from "../abi/uniswap.js";
import { MAINNET, MAINNET_WBTC_WETH, UNISWAP_DEPLOYER_NONCES } from "../addresses.js";
import { readNpmArtifact } from "../artifacts.js";
import { compileSnapshotContracts } from "./compileSnapshotContracts.js";

export interface WbtcWethRuntimeCode {
  uniswapV3Factory: Hex;
  wbtcWethPool: Hex;
  /** MirrorToken (compiled for Paris) with decimals 8, the stand-in for WBTC. */
  wbtcStandIn: Hex;
  weth9: Hex;
}

export class RuntimeCodeDeploymentError extends Error {
  constructor(what: string, detail: string) {
    super(`Could not derive the runtime code of ${what}: ${detail}`);
    this.name = "RuntimeCodeDeploymentError";
  }
}

/**
 * Runtime code of the snapshot's contracts, each left on a scratch in-process chain by its own constructor, so
 * every immutable holds what it holds on mainnet without patching bytes at offsets: the npm UniswapV3Factory
 * deployed by Uniswap's deployer at nonce 0 lands at the real factory address (NoDelegateCall's `original`),
 * and its createPool(WBTC, WETH, 3000) runs the pool's real init code (the SDK's POOL_INIT_CODE_HASH) with
 * the real factory, tokens, fee, tick spacing and max liquidity per tick. The stand-in's 8 decimals are its
 * constructor argument, and it is built for Paris like everything else in a pre-Shanghai block. WETH9 (solc 0.4) has no immutables: its npm runtime code is used as it is.
 */
export async function deployedRuntimeCode(network: NetworkManager): Promise<WbtcWethRuntimeCode> {
  const connection = await network.create();
  try {
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    const testClient = await viem.getTestClient();
    const codeAt = async (address: Address, what: string) => {
      const code = await publicClient.getCode({ address });
      if (code === undefined) throw new RuntimeCodeDeploymentError(what, `no code at ${address}`);
      return code;
    };

    const deployer = MAINNET.uniswapDeployer;
    await testClient.impersonateAccount({ address: deployer });
    await testClient.setBalance({ address: deployer, value: parseEther("1") });
    await testClient.setNonce({ address: deployer, nonce: UNISWAP_DEPLOYER_NONCES.factory });
    const wallet = await viem.getWalletClient(deployer);
    const { abi, bytecode } = readNpmArtifact("UniswapV3Factory");
    const deployed = await publicClient.waitForTransactionReceipt({
      hash: await wallet.deployContract({ abi, bytecode, args: [] }),
    });
    if (deployed.contractAddress == null || getAddress(deployed.contractAddress) !== MAINNET.factory) {
      throw new RuntimeCodeDeploymentError("UniswapV3Factory", `it landed at ${deployed.contractAddress}`);
    }
    const created = await publicClient.waitForTransactionReceipt({
      hash: await wallet.writeContract({
        address: MAINNET.factory,
        abi: uniswapV3FactoryAbi,
        functionName: "createPool",
        args: [MAINNET_WBTC_WETH.wbtc, MAINNET.weth, MAINNET_WBTC_WETH.fee],
      }),
    });
    const pool = await publicClient.readContract({
      address: MAINNET.factory,
      abi: uniswapV3FactoryAbi,
      functionName: "getPool",
      args: [MAINNET_WBTC_WETH.wbtc, MAINNET.weth, MAINNET_WBTC_WETH.fee],
    });
    if (created.status !== "success" || getAddress(pool) !== MAINNET_WBTC_WETH.pool) {
      throw new RuntimeCodeDeploymentError(
        "the WBTC/WETH pool",
        `createPool gave ${pool} (${created.status})`,
      );
    }
    const { abi: standInAbi, bytecode: standInCode } = compileSnapshotContracts().mirrorTokenParis;
    const standIn = await publicClient.waitForTransactionReceipt({
      hash: await wallet.deployContract({
        abi: standInAbi,
        bytecode: standInCode,
        args: ["Wrapped BTC (stand-in)", "WBTC", 8],
      }),
    });

    return {
      uniswapV3Factory: await codeAt(MAINNET.factory, "UniswapV3Factory"),
      wbtcWethPool: await codeAt(MAINNET_WBTC_WETH.pool, "the WBTC/WETH pool"),
      wbtcStandIn: await codeAt(standIn.contractAddress!, "the WBTC stand-in"),
      weth9: readNpmArtifact("WETH9").deployedBytecode,
    };
  } finally {
    await connection.close();
  }
}
