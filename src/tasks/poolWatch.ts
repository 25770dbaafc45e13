import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import {
  createPublicClient,
  custom,
  erc20Abi,
  formatUnits,
  isAddress,
  getAddress,
  type Address,
  type PublicClient,
} from "viem";

import { MAINNET } from "../chain/addresses.js";
import { redactUrl } from "../keeper/config/redactUrl.js";
import { onShutdownSignal } from "../keeper/ops/onShutdownSignal.js";
import { readPoolInfo } from "../keeper/readPoolInfo.js";
import { readVaultSnapshots } from "../keeper/readVaultSnapshots.js";
import { createKeeperClient } from "../keeper/rpc/createKeeperClient.js";
import { readContractsAtBlock } from "../keeper/rpc/readContractsAtBlock.js";
import { watchConfirmedBlocks } from "../keeper/watch/watchConfirmedBlocks.js";

interface PoolWatchArguments {
  pool: string;
  rpcUrl: string;
  confirmations: number;
  blocks: number;
  interval: number;
}

const NAMED_POOLS: Record<string, Address> = MAINNET.pools;

/**
 * `hardhat pool:watch`: prints each confirmed block's price, tick and active liquidity of one pool, and its
 * swaps, mints and burns, until Ctrl-C or --blocks blocks.
 */
export default async function poolWatch(
  { pool, rpcUrl, confirmations, blocks, interval }: PoolWatchArguments,
  hre: HardhatRuntimeEnvironment,
) {
  const address = NAMED_POOLS[pool] ?? (isAddress(pool, { strict: false }) ? getAddress(pool) : undefined);
  if (address === undefined) {
    throw new Error(
      `--pool must be a pool address (0x…) or one of ${Object.keys(NAMED_POOLS).join(", ")}; got "${pool}"`,
    );
  }
  for (const [name, value] of [
    ["--confirmations", confirmations],
    ["--blocks", blocks],
    ["--interval", interval],
  ] as const) {
    if (!Number.isInteger(value) || value < 0)
      throw new RangeError(`${name} must be an integer of 0 or more, got ${value}`);
  }
  let client: PublicClient;
  let close = async () => {};
  if (rpcUrl !== "") {
    if (!/^https?:\/\//.test(rpcUrl))
      throw new Error(`--rpc-url must be an http(s) URL, got ${redactUrl(rpcUrl)}`);
    client = createKeeperClient({
      urls: [rpcUrl],
      timeoutMs: 10_000,
      retryCount: 3,
      retryDelayMs: 250,
      pollingIntervalMs: interval,
    }).client;
  } else {
    const connection = await hre.network.create();
    client = createPublicClient({
      transport: custom(connection.provider),
      pollingInterval: interval,
      cacheTime: 0,
    });
    close = () => connection.close();
  }
  const where = rpcUrl === "" ? `network ${hre.globalOptions.network ?? "default"}` : redactUrl(rpcUrl);
  const shutdown = onShutdownSignal();
  try {
    const latest = await client.getBlock({ blockTag: "latest" });
    const code = await client.getCode({ address });
    if (code === undefined) {
      throw new Error(
        `No contract at ${address} on ${where}. On the in-process network nothing is deployed: run \`hardhat node:mirror\` and pass --rpc-url http://127.0.0.1:8545 (or --network localhost)`,
      );
    }
    const info = (
      await readPoolInfo(client, { blockHash: latest.hash, pools: [{ address, field: "--pool" }] })
    ).get(address)!;
    const [decimals0, symbol0, decimals1, symbol1] = (
      await readContractsAtBlock(client, {
        blockHash: latest.hash,
        contracts: [info.token0, info.token1].flatMap((token) => [
          { address: token, abi: erc20Abi, functionName: "decimals" },
          { address: token, abi: erc20Abi, functionName: "symbol" },
        ]),
      })
    ).map((r, i) => (r.status === "success" ? r.result : i % 2 === 0 ? 18 : "?")) as [
      number,
      string,
      number,
      string,
    ];
    console.log(
      `Watching pool ${address} (${symbol0}/${symbol1}, fee ${info.fee / 10_000} %) on ${where}, ${confirmations} confirmation(s). Ctrl-C to stop.`,
    );

    const pools = new Map([[address, info]]);
    const watcher = { name: "pool", address, pool: address } as never;
    let seen = 0;
    const stop = new AbortController();
    const signal = AbortSignal.any([shutdown.signal, stop.signal]);
    await watchConfirmedBlocks(client, {
      confirmations,
      pollingIntervalMs: interval,
      signal,
      onBlock: async (block) => {
        const [snapshot] = await readVaultSnapshots(client, { vaults: [watcher], pools, block });
        const { sqrtPriceX96, tick, liquidity } = snapshot!.pool;
        const raw = (Number(sqrtPriceX96) / 2 ** 96) ** 2;
        const price = raw * 10 ** (decimals0 - decimals1);
        console.log(
          `block ${block.number}  1 ${symbol0} = ${format(price)} ${symbol1}  1 ${symbol1} = ${format(1 / price)} ${symbol0}  tick ${tick}  liquidity ${liquidity}`,
        );
        for (const event of snapshot!.events) {
          const amounts = `${formatUnits(event.amount0, decimals0)} ${symbol0}, ${formatUnits(event.amount1, decimals1)} ${symbol1}`;
          console.log(
            event.type === "Swap"
              ? `  swap ${amounts} → tick ${event.tick}  tx ${event.txHash}`
              : `  ${event.type.toLowerCase()} [${event.tickLower}, ${event.tickUpper}] ${amounts}  tx ${event.txHash}`,
          );
        }
        if (blocks > 0 && ++seen >= blocks) stop.abort();
      },
      onError: (error, consecutive) =>
        console.error(
          `read failed (${consecutive} in a row), retrying: ${(error as Error).message.split("\n")[0]}`,
        ),
    });
  } finally {
    shutdown.dispose();
    await close();
  }
}

function format(value: number): string {
  return value >= 1 ? value.toFixed(2) : value.toPrecision(6);
}
