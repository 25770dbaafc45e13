import { network } from "hardhat";
import { encodeFunctionData, erc20Abi, multicall3Abi, type Address } from "viem";
import { connectUniswap } from "../src/chain/connectUniswap.js";
import { MAINNET } from "../src/chain/addresses.js";
import { centeredRebalance } from "../src/chain/vault/rebalanceParams.js";
import { rangeVaultAbi } from "../src/chain/vault/abi.js";
import { createRangeVaultAdapter } from "../src/keeper/vault/rangeVaultAdapter.js";
import { deployKeeperVaults } from "../test/support/keeperVaults.js";
import { mined } from "../test/support/vaultPool.js";

const { connection, deployment } = await connectUniswap(network, "mirror");
const { viem } = connection;
const N = 100;
const d = await deployKeeperVaults(connection, deployment, {
  pool: MAINNET.pools.usdcWeth005,
  tickSpacing: 10,
  token0: MAINNET.usdc,
  token1: MAINNET.weth,
  keeperIndex: 9,
  names: Array.from({ length: N }, (_, i) => `x${i}`),
  deposit: { amount0: 1000n * 10n ** 6n, amount1: 44n * 10n ** 16n },
});
const keeper = await viem.getWalletClient(d.keeper);
for (const [i, v] of d.vaults.entries())
  await mined(
    viem,
    await keeper.writeContract({
      address: v,
      abi: rangeVaultAbi,
      functionName: "rebalance",
      args: [
        centeredRebalance({
          tick: 199045,
          tickSpacing: 10,
          baseHalfWidth: (20 + (i % 80)) * 10,
          limitWidth: (10 + (i % 40)) * 10,
          tickTolerance: 10,
          deadline: 2n ** 40n,
        }),
      ],
    }),
  );
const pc = await viem.getPublicClient();
const adapter = createRangeVaultAdapter({ lens: d.lens });
const pool = { tick: 199045, feeGrowthGlobal0X128: 0n, feeGrowthGlobal1X128: 0n } as never;
const cfgs = d.vaults.map(
  (address, i) => ({ name: `x${i}`, address, pool: MAINNET.pools.usdcWeth005 }) as never,
);
for (const c of cfgs) {
  const r = adapter.reads(c);
  const results = await Promise.all(
    r.map(async (x) => ({
      status: "success",
      result: await pc.readContract({ ...x, gas: undefined } as never),
    })),
  );
  adapter.decode(c, results as never, pool);
}
for (const [from, n] of [
  [0, 50],
  [50, 50],
  [0, 60],
  [0, 70],
  [0, 80],
] as const) {
  const reads = cfgs.slice(from, from + n).flatMap((c: { address: Address }) => [
    {
      target: MAINNET.usdc,
      callData: encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [c.address] }),
    },
    {
      target: MAINNET.weth,
      callData: encodeFunctionData({ abi: erc20Abi, functionName: "balanceOf", args: [c.address] }),
    },
    ...adapter.reads(c as never).map((x) => ({
      target: x.address,
      callData: encodeFunctionData({ abi: x.abi, functionName: x.functionName, args: x.args } as never),
    })),
  ]);
  const data = encodeFunctionData({
    abi: multicall3Abi,
    functionName: "aggregate3",
    args: [reads.map((r) => ({ ...r, allowFailure: true }))],
  });
  try {
    const g = await pc.estimateGas({ to: MAINNET.multicall3, data });
    console.log(from, n, "vaults:", g, "per vault", Number(g) / n, "calldata bytes", data.length / 2);
  } catch (e) {
    try {
      await pc.call({ to: MAINNET.multicall3, data });
      console.log("call ok");
    } catch (e2) {
      console.log(
        n,
        "call failed",
        (e2 as Error).message
          .split("\n")
          .filter((l) => !l.includes("0x82ad"))
          .slice(0, 12)
          .join(" | "),
      );
    }
    console.log(n, "failed", JSON.stringify((e as { cause?: { details?: string } }).cause?.details));
  }
}
await connection.close();
