import { createRequire } from "node:module";

import hardhatMocha from "@nomicfoundation/hardhat-mocha";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { configVariable, defineConfig } from "hardhat/config";

import { MAINNET_FORK_BLOCK } from "./src/chain/fork/forkBlock.js";
import { tasks } from "./src/tasks/index.js";

const require = createRequire(import.meta.url);

// Both compilers are the npm solc-js builds: no download host is reachable here or in CI.
const optimizer = { enabled: true, runs: 800 };

// RangeVault goes through the IR pipeline: its optimiser inlines the small internal functions and keeps values on the
// stack, which makes the vault both smaller (under the 24,576-byte limit of EIP-170 with room to spare) and cheaper on
// every step than the legacy pipeline (npm run bench:gas). The factory embeds the vault's creation code, so it must
// use the same settings.
const vaultCompiler = {
  version: "0.8.37",
  path: require.resolve("solc/soljson.js"),
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun", viaIR: true },
};

export default defineConfig({
  plugins: [hardhatViem, hardhatMocha, hardhatNetworkHelpers],
  tasks,
  solidity: {
    compilers: [
      {
        version: "0.8.37",
        path: require.resolve("solc/soljson.js"),
        settings: { optimizer, evmVersion: "cancun" },
      },
      {
        // Harnesses of Uniswap's own <0.8 libraries, to test our 0.8 ports against the originals.
        version: "0.7.6",
        path: require.resolve("solc-0.7.6/soljson.js"),
        settings: { optimizer, evmVersion: "istanbul" },
      },
    ],
    overrides: Object.fromEntries(
      ["contracts/vault/RangeVault.sol", "contracts/vault/RangeVaultFactory.sol"].map((file) => [
        file,
        vaultCompiler,
      ]),
    ),
  },
  paths: {
    tests: { mocha: "test", solidity: "test" },
  },
  test: {
    mocha: { timeout: 120_000 },
  },
  networks: {
    default: { type: "edr-simulated", chainType: "l1" },
    // Without MAINNET_RPC_URL, connectMainnetFork (src/chain/fork/) serves the recorded snapshot on 127.0.0.1 and
    // overrides forking.url with it when it creates the connection. Blocks up to the fork block run with
    // mainnet's own rules at that height (Paris at 16,944,668: no PUSH0, TSTORE or MCOPY); blocks mined on the
    // fork run with this network's `hardfork` (Hardhat's latest), so cancun-built contracts deploy and run.
    mainnetFork: {
      type: "edr-simulated",
      chainType: "l1",
      forking: { url: configVariable("MAINNET_RPC_URL"), blockNumber: MAINNET_FORK_BLOCK },
    },
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
  },
});
