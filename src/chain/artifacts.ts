import { createRequire } from "node:module";

import type { Hex } from "viem";

const require = createRequire(import.meta.url);

/** The npm artifacts the mirror deploys: real Uniswap v3 bytecode, never recompiled here. */
export const NPM_ARTIFACTS = {
  UniswapV3Factory: "@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json",
  UniswapV3Pool: "@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json",
  SwapRouter: "@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json",
  NFTDescriptor: "@uniswap/v3-periphery/artifacts/contracts/libraries/NFTDescriptor.sol/NFTDescriptor.json",
  NonfungibleTokenPositionDescriptor:
    "@uniswap/v3-periphery/artifacts/contracts/NonfungibleTokenPositionDescriptor.sol/NonfungibleTokenPositionDescriptor.json",
  NonfungiblePositionManager:
    "@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
  QuoterV2: "@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json",
  WETH9: "canonical-weth/build/contracts/WETH9.json",
} as const;

export type NpmArtifactName = keyof typeof NPM_ARTIFACTS;

interface LinkReference {
  start: number;
  length: number;
}

export interface NpmArtifact {
  abi: readonly Record<string, unknown>[];
  bytecode: Hex;
  deployedBytecode: Hex;
  linkReferences?: Record<string, Record<string, LinkReference[]>>;
}

export function readNpmArtifact(name: NpmArtifactName): NpmArtifact {
  return require(NPM_ARTIFACTS[name]) as NpmArtifact;
}

/**
 * Creation bytecode with library placeholders replaced by `libraries[name]`. Throws if a placeholder has
 * no address, so an unlinked contract can never be deployed by accident.
 */
export function linkedBytecode(name: NpmArtifactName, libraries: Record<string, Hex> = {}): Hex {
  const artifact = readNpmArtifact(name);
  let code = artifact.bytecode.slice(2);
  for (const refs of Object.values(artifact.linkReferences ?? {})) {
    for (const [library, positions] of Object.entries(refs)) {
      const address = libraries[library];
      if (address === undefined) throw new Error(`${name} needs library ${library} linked; pass its address`);
      for (const { start, length } of positions) {
        code = code.slice(0, start * 2) + address.slice(2).toLowerCase() + code.slice((start + length) * 2);
      }
    }
  }
  return `0x${code}`;
}
