import type { NetworkManager } from "hardhat/types/network";
import type { Address } from "viem";

import { MAINNET, MAINNET_WBTC_WETH } from "../addresses.js";
import {
  connectMainnetFork,
  type ConnectMainnetForkParameters,
  type MainnetForkConnection,
} from "./connectMainnetFork.js";
import { fundWbtcWethAccount } from "./fundWbtcWethAccount.js";

export interface ConnectWbtcWethForkParameters extends ConnectMainnetForkParameters {
  /** What every wallet account receives. Default 100 WBTC and 1,000 WETH; zeros skip funding. */
  fundEach?: { wbtc: bigint; weth: bigint };
}

export interface WbtcWethFork extends MainnetForkConnection {
  addresses: { factory: Address; pool: Address; wbtc: Address; weth: Address };
}

/**
 * The fixture for tests on the real WBTC/WETH 0.3 % pool: a fresh mainnet fork at block 16,944,668 (the
 * recorded snapshot offline, or MAINNET_RPC_URL's chain) with every wallet account holding WBTC and WETH, so a
 * vault can be deployed and exercised against the pool's real code and state. WBTC is token0 (8 decimals).
 */
export async function connectWbtcWethFork(
  network: NetworkManager,
  {
    fundEach = { wbtc: 100n * 10n ** 8n, weth: 1_000n * 10n ** 18n },
    ...fork
  }: ConnectWbtcWethForkParameters = {},
): Promise<WbtcWethFork> {
  const connected = await connectMainnetFork(network, fork);
  try {
    const { viem } = connected.connection;
    if (fundEach.wbtc > 0n || fundEach.weth > 0n) {
      for (const wallet of await viem.getWalletClients()) {
        await fundWbtcWethAccount(viem, wallet.account.address, fundEach);
      }
    }
    return {
      ...connected,
      addresses: {
        factory: MAINNET.factory,
        pool: MAINNET_WBTC_WETH.pool,
        wbtc: MAINNET_WBTC_WETH.wbtc,
        weth: MAINNET.weth,
      },
    };
  } catch (error) {
    await connected.close();
    throw error;
  }
}
