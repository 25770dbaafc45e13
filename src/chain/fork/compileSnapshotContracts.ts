import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

import type { Abi, Hex } from "viem";

import type { StorageLayout } from "./storageLayout.js";

const require = createRequire(import.meta.url);

interface SolcJs {
  version(): string;
  compile(
    input: string,
    callbacks: { import: (path: string) => { contents: string } | { error: string } },
  ): string;
}

interface SolcContractOutput {
  abi?: Abi;
  storageLayout: StorageLayout;
  evm?: { bytecode?: { object: string } };
}

interface SolcOutput {
  errors?: { severity: string; formattedMessage: string }[];
  contracts?: Record<string, Record<string, SolcContractOutput>>;
}

export class SnapshotCompileError extends Error {
  constructor(compiler: string, messages: string[]) {
    super(`solc ${compiler} failed on the snapshot's contracts:\n${messages.join("\n")}`);
    this.name = "SnapshotCompileError";
  }
}

export interface SnapshotContracts {
  /** Storage layouts, as solc reports them, of every contract the snapshot writes storage for. */
  layouts: {
    uniswapV3Pool: StorageLayout;
    uniswapV3Factory: StorageLayout;
    weth9: StorageLayout;
    mirrorToken: StorageLayout;
  };
  /**
   * contracts/mirror/MirrorToken.sol compiled for Paris, the rules mainnet ran at the snapshot's block: code
   * that sits in a recorded pre-Shanghai block must not use PUSH0 (the project's cancun build does).
   */
  mirrorTokenParis: { abi: Abi; bytecode: Hex };
}

const DECLARATIONS = fileURLToPath(new URL("./storageDeclarations.sol", import.meta.url));
const MIRROR_TOKEN = fileURLToPath(new URL("../../../contracts/mirror/MirrorToken.sol", import.meta.url));

let compiled: SnapshotContracts | undefined;

/**
 * Compiles what the snapshot needs from the compiler, with the npm solc-js builds: storageDeclarations.sol with
 * solc 0.7.6 (Uniswap's compiler) for storage layouts only, and MirrorToken.sol with solc 0.8.37 (the project's
 * compiler and optimizer settings) for Paris. About 1.5 s, once per process. Imports resolve from node_modules.
 */
export function compileSnapshotContracts(): SnapshotContracts {
  compiled ??= (() => {
    const declarations = compile("solc-0.7.6", "storageDeclarations.sol", DECLARATIONS, {
      outputSelection: { "*": { "*": ["storageLayout"] } },
    });
    const mirror = compile("solc", "contracts/mirror/MirrorToken.sol", MIRROR_TOKEN, {
      optimizer: { enabled: true, runs: 800 },
      evmVersion: "paris",
      outputSelection: { "*": { "*": ["abi", "storageLayout", "evm.bytecode.object"] } },
    });
    const of = (output: SolcOutput, source: string, contract: string) => {
      const result = output.contracts?.[source]?.[contract];
      if (result === undefined) throw new SnapshotCompileError("output", [`no output for ${contract}`]);
      return result;
    };
    const mirrorToken = of(mirror, "contracts/mirror/MirrorToken.sol", "MirrorToken");
    return {
      layouts: {
        uniswapV3Pool: of(declarations, "storageDeclarations.sol", "UniswapV3PoolStorage").storageLayout,
        uniswapV3Factory: of(declarations, "storageDeclarations.sol", "UniswapV3FactoryStorage")
          .storageLayout,
        weth9: of(declarations, "storageDeclarations.sol", "WETH9Storage").storageLayout,
        mirrorToken: mirrorToken.storageLayout,
      },
      mirrorTokenParis: { abi: mirrorToken.abi!, bytecode: `0x${mirrorToken.evm!.bytecode!.object}` },
    };
  })();
  return compiled;
}

function compile(solcPackage: string, sourceName: string, file: string, settings: object): SolcOutput {
  const solc = require(solcPackage) as SolcJs;
  const input = {
    language: "Solidity",
    sources: { [sourceName]: { content: readFileSync(file, "utf8") } },
    settings,
  };
  const output = JSON.parse(
    solc.compile(JSON.stringify(input), {
      import: (path) => {
        try {
          return { contents: readFileSync(require.resolve(path), "utf8") };
        } catch {
          return { error: `${path} is not in node_modules` };
        }
      },
    }),
  ) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0)
    throw new SnapshotCompileError(
      solc.version(),
      errors.map((e) => e.formattedMessage),
    );
  return output;
}
