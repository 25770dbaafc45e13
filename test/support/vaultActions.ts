import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { NetworkConnection } from "hardhat/types/network";
import { network } from "hardhat";
import {
  decodeErrorResult,
  erc20Abi,
  maxUint256,
  parseEventLogs,
  type Address,
  type Hash,
  type Hex,
} from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { connectUniswap } from "../../src/chain/connectUniswap.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { centeredRebalance, type RebalanceParams } from "../../src/chain/vault/rebalanceParams.js";
import { mined, type TestPool, type TestVault } from "./vaultPool.js";

export const FAR_DEADLINE = 2n ** 40n;

/**
 * Registers mocha hooks for a suite on a fresh mirror chain: `setup` runs once (deploy pools, vaults, first
 * deposits), and every test starts from the state it left (snapshot/revert). Returns a getter for the context.
 */
export function useMirror<T>(
  setup: (connection: NetworkConnection, deployment: UniswapDeployment) => Promise<T>,
) {
  let ctx: { connection: NetworkConnection; deployment: UniswapDeployment; value: T } | undefined;
  let snapshot: Hash | undefined;
  before(async function () {
    const { connection, deployment } = await connectUniswap(network, "mirror");
    ctx = { connection, deployment, value: await setup(connection, deployment) };
    snapshot = await (await connection.viem.getTestClient()).snapshot();
  });
  beforeEach(async function () {
    const testClient = await ctx!.connection.viem.getTestClient();
    await testClient.revert({ id: snapshot! });
    snapshot = await testClient.snapshot();
  });
  after(async function () {
    await ctx?.connection.close();
  });
  return () => ctx!;
}

/** Typed calls on one vault from any wallet, with the events the tests read back. */
export function vaultActions(viem: HardhatViemHelpers, pool: TestPool, v: TestVault) {
  const vault = v.vault;
  const send = async (account: Address, functionName: string, args: readonly unknown[]) => {
    const wallet = await viem.getWalletClient(account);
    return mined(
      viem,
      await wallet.writeContract({ address: vault, abi: rangeVaultAbi, functionName, args } as never),
    );
  };
  const read = async <T>(functionName: string, args: readonly unknown[] = []) =>
    (await viem.getPublicClient()).readContract({
      address: vault,
      abi: rangeVaultAbi,
      functionName,
      args,
    } as never) as Promise<T>;
  const slot0 = async () =>
    (await viem.getPublicClient()).readContract({
      address: pool.pool,
      abi: uniswapV3PoolAbi,
      functionName: "slot0",
    });

  return {
    vault,
    send,
    read,
    slot0,
    async deposit(account: Address, amount0: bigint, amount1: bigint, minShares = 0n) {
      const receipt = await send(account, "deposit", [
        amount0,
        amount1,
        0n,
        0n,
        minShares,
        account,
        FAR_DEADLINE,
      ]);
      const [e] = parseEventLogs({ abi: rangeVaultAbi, eventName: "Deposit", logs: receipt.logs });
      return { ...e!.args, receipt };
    },
    async withdraw(account: Address, shares: bigint) {
      const receipt = await send(account, "withdraw", [shares, 0n, 0n, account, FAR_DEADLINE]);
      const [e] = parseEventLogs({ abi: rangeVaultAbi, eventName: "Withdraw", logs: receipt.logs });
      return { ...e!.args, receipt };
    },
    async rebalance(params: RebalanceParams, account = v.keeper) {
      const receipt = await send(account, "rebalance", [params]);
      const [e] = parseEventLogs({ abi: rangeVaultAbi, eventName: "Rebalance", logs: receipt.logs });
      return { ...e!.args, receipt };
    },
    /** Charm-style ranges around the current tick (base ± baseHalfWidth, limit `limitWidth`). */
    async centered(baseHalfWidth = 3600, limitWidth = 1200, tickTolerance = 0) {
      const [, tick] = await slot0();
      return centeredRebalance({
        tick,
        tickSpacing: pool.tickSpacing,
        baseHalfWidth,
        limitWidth,
        tickTolerance,
        deadline: FAR_DEADLINE,
      });
    },
    shares: (account: Address) => read<bigint>("balanceOf", [account]),
    totalSupply: () => read<bigint>("totalSupply"),
    totals: () => read<readonly [bigint, bigint]>("getTotalAmounts"),
  };
}

export async function balanceOf(viem: HardhatViemHelpers, token: Address, account: Address) {
  return (await viem.getPublicClient()).readContract({
    address: token,
    abi: erc20Abi,
    functionName: "balanceOf",
    args: [account],
  });
}

/** token0 in token1 at `sqrtPriceX96`, rounded down (as the vault values it). */
export function quote0In1(amount0: bigint, sqrtPriceX96: bigint): bigint {
  return (amount0 * sqrtPriceX96 * sqrtPriceX96) >> 192n;
}

/**
 * Runs `fn`, expects it to revert with custom error `name`, and returns the error's arguments: decoded by viem when
 * it could, else decoded with the vault's ABI from the revert data in Hardhat's message ("unrecognized custom error
 * (return data: 0x…)": Hardhat names errors only of contracts built by the legacy pipeline, and the vault is built
 * through the IR one), else parsed from Hardhat's message ("reverted with custom error 'Name(1, 2)'") as strings.
 */
export async function expectRevert(fn: () => Promise<unknown>, name: string): Promise<readonly unknown[]> {
  try {
    await fn();
  } catch (err) {
    let e = err as { cause?: unknown; data?: { errorName?: string; args?: readonly unknown[] } } | undefined;
    while (e) {
      if (e.data?.errorName) {
        if (e.data.errorName !== name) {
          throw new Error(`expected revert ${name}, got ${e.data.errorName}`, { cause: err });
        }
        return e.data.args ?? [];
      }
      e = e.cause as typeof e;
    }
    const data = /return data: (0x[0-9a-fA-F]*)/.exec((err as Error).message)?.[1] as Hex | undefined;
    const decoded = data === undefined ? undefined : decodeVaultError(data);
    if (decoded !== undefined) {
      if (decoded.errorName !== name) {
        throw new Error(`expected revert ${name}, got ${decoded.errorName}`, { cause: err });
      }
      return decoded.args ?? [];
    }
    const match = /reverted with custom error '(\w+)\((.*?)\)'/.exec((err as Error).message);
    if (match === null)
      throw new Error(`expected revert ${name}, got: ${(err as Error).message.split("\n")[0]}`, {
        cause: err,
      });
    if (match[1] !== name) {
      throw new Error(`expected revert ${name}, got ${match[1]}(${match[2]})`, { cause: err });
    }
    return match[2] === "" ? [] : match[2]!.split(", ");
  }
  throw new Error(`expected revert ${name}, but the call succeeded`);
}

/** A revert's data decoded as one of the vault's errors (its own, its libraries' and OpenZeppelin's), if it is one. */
function decodeVaultError(data: Hex) {
  try {
    return decodeErrorResult({ abi: rangeVaultAbi, data });
  } catch {
    return undefined;
  }
}

/** Mints `amount` of each test token (any contract with MirrorToken's `mint`) to `account` and approves `spender`. */
export async function fundAndApprove(
  viem: HardhatViemHelpers,
  tokens: Address[],
  account: Address,
  spender: Address,
  amount: bigint,
) {
  for (const address of tokens) {
    const token = await viem.getContractAt("MirrorToken", address);
    await mined(viem, await token.write.mint([account, amount]));
    await mined(viem, await token.write.approve([spender, maxUint256], { account }));
  }
}
