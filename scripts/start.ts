// `npm start` until the keeper demo lands: brings up the in-process chain with the mainnet mirror and
// prints what is deployed where, with each USDC/WETH pool's price and liquidity read back from the chain.
import { network } from "hardhat";
import { formatUnits } from "viem";

import { connectUniswap } from "../src/chain/connectUniswap.js";
import { uniswapContracts } from "../src/chain/uniswap.js";

const started = performance.now();
const { connection, deployment } = await connectUniswap(network, "mirror");
const contracts = await uniswapContracts(connection.viem, deployment);
const ms = (performance.now() - started).toFixed(0);

console.log(`Uniswap v3 mainnet mirror on the in-process chain (deployed in ${ms} ms)\n`);
const rows: [string, string][] = [
  ["UniswapV3Factory", deployment.factory],
  ["SwapRouter", deployment.swapRouter],
  ["NonfungiblePositionManager", deployment.positionManager],
  ["QuoterV2", deployment.quoterV2],
  ["WETH9", deployment.weth],
  ["USDC (6-dp stand-in)", deployment.usdc],
];
for (const [name, address] of rows) console.log(`  ${name.padEnd(28)} ${address}`);
console.log();
for (const [name, address] of Object.entries(deployment.pools)) {
  const pool = contracts.pool(address);
  const [[sqrtPriceX96, tick], liquidity, fee] = await Promise.all([
    pool.read.slot0(),
    pool.read.liquidity(),
    pool.read.fee(),
  ]);
  const price = (Number(sqrtPriceX96) / 2 ** 96) ** 2; // raw token1 per raw token0
  const ethInUsdc = 1e12 / price;
  console.log(`  ${name} (${fee / 10_000}% fee) ${address}`);
  console.log(`    sqrtPriceX96 ${sqrtPriceX96}  tick ${tick}  ETH = ${ethInUsdc.toFixed(2)} USDC`);
  console.log(`    active liquidity ${liquidity}  (${formatUnits(liquidity, 18)} e18)`);
}
