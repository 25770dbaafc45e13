import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import { getAddress, isAddress, parseEventLogs, zeroAddress, type Address } from "viem";

import { uniswapV3PoolAbi } from "../abi/uniswap.js";
import { rangeVaultFactoryAbi } from "./abi.js";
import { validateVaultParams, type VaultParams } from "./params.js";

export interface DeployVaultParameters {
  /** A RangeVaultFactory (see deployVaultFactory). */
  factory: Address;
  /** A canonical, initialised Uniswap v3 pool of the factory's Uniswap factory. */
  pool: Address;
  /** Share token name and symbol. */
  name: string;
  symbol: string;
  /** Governance: two-step ownership; should be a timelock or multisig in production. */
  owner: Address;
  /** The only account that may rebalance. */
  keeper: Address;
  /** Receiver of protocol fees. */
  treasury: Address;
  /** Protocol share of pool fees, in basis points (at most 2,000). */
  protocolFeeBps: number;
  params: VaultParams;
  /** Account that sends the transaction; the connection's first wallet by default. */
  from?: Address;
}

export class VaultDeploymentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VaultDeploymentError";
  }
}

/**
 * Deploys a RangeVault through `factory` after validating every parameter against the vault's hard bounds (so bad
 * input fails here with the field's name), and returns the new vault's address from the factory's VaultCreated event.
 */
export async function deployVault(
  viem: HardhatViemHelpers,
  parameters: DeployVaultParameters,
): Promise<Address> {
  const { factory, pool, name, symbol, owner, keeper, treasury, protocolFeeBps, params } = parameters;
  for (const [field, value] of Object.entries({ factory, pool, owner, keeper, treasury })) {
    if (!isAddress(value) || value === zeroAddress) {
      throw new VaultDeploymentError(`${field} must be a non-zero address, got ${String(value)}`);
    }
  }
  if (name === "" || symbol === "") throw new VaultDeploymentError("name and symbol must not be empty");
  const publicClient = await viem.getPublicClient();
  const tickSpacing = await publicClient
    .readContract({ address: pool, abi: uniswapV3PoolAbi, functionName: "tickSpacing" })
    .catch(() => {
      throw new VaultDeploymentError(
        `pool ${pool} does not answer tickSpacing(): expected a Uniswap v3 pool`,
      );
    });
  validateVaultParams(params, tickSpacing, protocolFeeBps);

  const wallet = parameters.from
    ? await viem.getWalletClient(parameters.from)
    : (await viem.getWalletClients())[0]!;
  const hash = await wallet.writeContract({
    address: factory,
    abi: rangeVaultFactoryAbi,
    functionName: "createVault",
    args: [{ pool, name, symbol, owner, keeper, treasury, protocolFeeBps, params }],
  });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({
    abi: rangeVaultFactoryAbi,
    eventName: "VaultCreated",
    logs: receipt.logs,
  });
  if (receipt.status !== "success" || created === undefined) {
    throw new VaultDeploymentError(`createVault ${hash} did not create a vault (status ${receipt.status})`);
  }
  return getAddress(created.args.vault);
}
