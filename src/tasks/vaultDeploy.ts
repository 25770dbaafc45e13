import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import { getAddress, isAddress, type Address } from "viem";

import { uniswapV3PoolAbi } from "../chain/abi/uniswap.js";
import { MAINNET, MAINNET_WBTC_WETH } from "../chain/addresses.js";
import { deployVault } from "../chain/vault/deployVault.js";
import { deployVaultFactory } from "../chain/vault/deployVaultFactory.js";
import {
  defaultVaultParams,
  InvalidVaultParamError,
  validateVaultParams,
  type VaultParams,
} from "../chain/vault/params.js";
import { describeConnection, taskConnection } from "./taskConnection.js";
import { buildContracts } from "./buildContracts.js";

interface VaultDeployArguments {
  pool: string;
  name: string;
  symbol: string;
  owner: string;
  keeper: string;
  treasury: string;
  protocolFeeBps: number;
  params: string;
  factory: string;
  lens: string;
  rpcUrl: string;
}

const NAMED_POOLS: Record<string, Address> = { ...MAINNET.pools, wbtcWeth03: MAINNET_WBTC_WETH.pool };

function addressOption(option: string, value: string, fallback: Address): Address {
  if (value === "") return fallback;
  if (!isAddress(value, { strict: false }))
    throw new Error(`--${option} must be a 0x-prefixed 20-byte address, got "${value}"`);
  return getAddress(value);
}

/** `--params` as a JSON object of VaultParams fields, over the defaults for the pool's tick spacing. */
function vaultParams(text: string, tickSpacing: number): VaultParams {
  const defaults = defaultVaultParams(tickSpacing);
  if (text === "") return defaults;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`--params must be a JSON object of vault parameters, e.g. '{"maxTwapDeviation":50}'`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(`--params must be a JSON object of vault parameters, e.g. '{"maxTwapDeviation":50}'`);
  for (const key of Object.keys(parsed))
    if (!(key in defaults))
      throw new Error(
        `--params: unknown field "${key}"; expected some of ${Object.keys(defaults).join(", ")}`,
      );
  return { ...defaults, ...(parsed as Partial<VaultParams>) };
}

/**
 * `hardhat vault:deploy`: a RangeVaultFactory and RangeVaultLens (unless --factory is given) and a RangeVault on a
 * Uniswap v3 pool, every parameter checked against the vault's hard bounds before anything is sent; prints the
 * addresses and a keeper config entry for the vault.
 */
export default async function vaultDeploy(args: VaultDeployArguments, hre: HardhatRuntimeEnvironment) {
  await buildContracts(hre);
  const pool =
    NAMED_POOLS[args.pool] ?? (isAddress(args.pool, { strict: false }) ? getAddress(args.pool) : undefined);
  if (pool === undefined)
    throw new Error(
      `--pool must be a pool address (0x…) or one of ${Object.keys(NAMED_POOLS).join(", ")}; got "${args.pool}"`,
    );
  if (!Number.isInteger(args.protocolFeeBps) || args.protocolFeeBps < 0 || args.protocolFeeBps > 2_000)
    throw new RangeError(`--protocol-fee-bps must be an integer from 0 to 2000, got ${args.protocolFeeBps}`);
  const where = describeConnection(hre, args.rpcUrl);
  const connection = await taskConnection(hre, args.rpcUrl);
  try {
    const { viem } = connection;
    const publicClient = await viem.getPublicClient();
    const [deployer] = await viem.getWalletClients();
    if (deployer === undefined)
      throw new Error(
        `${where} has no unlocked account to deploy from; use a network with accounts configured`,
      );
    const from = getAddress(deployer.account.address);
    if ((await publicClient.getCode({ address: MAINNET.factory })) === undefined)
      throw new Error(
        `No Uniswap v3 factory at ${MAINNET.factory} on ${where}: start \`hardhat node:mirror\` and pass --network localhost (or --rpc-url), or use a mainnet fork`,
      );
    const tickSpacing = await publicClient
      .readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "tickSpacing" })
      .catch(() => {
        throw new Error(`--pool ${pool} does not answer as a Uniswap v3 pool on ${where}`);
      });
    const params = vaultParams(args.params, tickSpacing);
    try {
      validateVaultParams(params, tickSpacing, args.protocolFeeBps);
    } catch (error) {
      if (error instanceof InvalidVaultParamError)
        throw new Error(`--params: ${error.message}`, { cause: error });
      throw error;
    }
    const owner = addressOption("owner", args.owner, from);
    const keeper = addressOption("keeper", args.keeper, from);
    const treasury = addressOption("treasury", args.treasury, owner);
    const existing = args.factory === "" ? null : addressOption("factory", args.factory, from);
    const infrastructure =
      existing === null
        ? await deployVaultFactory(viem, MAINNET.factory)
        : {
            factory: existing,
            lens:
              args.lens === ""
                ? (await viem.deployContract("RangeVaultLens")).address
                : addressOption("lens", args.lens, from),
          };
    const vault = await deployVault(viem, {
      factory: infrastructure.factory,
      pool,
      name: args.name,
      symbol: args.symbol,
      owner,
      keeper,
      treasury,
      protocolFeeBps: args.protocolFeeBps,
      params,
    });
    console.log(`RangeVault deployed on ${where}`);
    console.log(`  factory   ${getAddress(infrastructure.factory)}`);
    console.log(`  lens      ${getAddress(infrastructure.lens)}`);
    console.log(`  vault     ${vault}`);
    console.log(`  pool      ${pool} (tick spacing ${tickSpacing})`);
    console.log(`  owner     ${owner}`);
    console.log(`  keeper    ${keeper}`);
    console.log(`  treasury  ${treasury} (protocol fee ${args.protocolFeeBps} bps)`);
    console.log(`  params    ${JSON.stringify(params)}`);
    console.log("For the keeper config:");
    console.log(
      JSON.stringify(
        {
          vaultLens: getAddress(infrastructure.lens),
          vaults: [
            {
              name: args.symbol,
              address: vault,
              pool,
              strategy: {
                name: "passive",
                params: {
                  baseThreshold: 60 * tickSpacing,
                  limitThreshold: 30 * tickSpacing,
                  period: 3600,
                  minTickMove: 0,
                },
              },
            },
          ],
        },
        null,
        2,
      ),
    );
  } finally {
    await connection.close();
  }
}
