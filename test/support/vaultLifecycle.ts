import { expect } from "chai";
import { erc20Abi, maxUint256, parseEventLogs, type Address } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";
import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { deployVault } from "../../src/chain/vault/deployVault.js";
import { deployVaultFactory } from "../../src/chain/vault/deployVaultFactory.js";
import { defaultVaultParams } from "../../src/chain/vault/params.js";
import { centeredRebalance } from "../../src/chain/vault/rebalanceParams.js";
import { readVaultState } from "../../src/chain/vault/readVaultState.js";
import { fundToken } from "./fundToken.js";
import { describeOnTargets, type DescribeOnTargetsOptions } from "./targets.js";
import { FAR_DEADLINE, quote0In1 } from "./vaultActions.js";
import { mined } from "./vaultPool.js";

/**
 * The vault's whole life on any existing pool, on the mirror and (with MAINNET_RPC_URL) on a mainnet fork: deploy
 * through the factory, two deposits, a rebalance, trading by others, a second rebalance, everyone withdraws. The pool
 * comes from `poolOf`, so the same suite runs on any recorded pool (USDC/WETH here, WBTC/WETH on the recorded fork).
 */
export function describeVaultLifecycle(
  title: string,
  poolOf: (deployment: UniswapDeployment) => Address | undefined,
  options: DescribeOnTargetsOptions = {},
): void {
  describeOnTargets(
    title,
    (ctx) => {
      it("deploys a vault, takes deposits, rebalances, and pays everyone back in full proportion", async function () {
        const { connection, deployment } = ctx();
        const { viem } = connection;
        const publicClient = await viem.getPublicClient();
        const testClient = await viem.getTestClient();
        const pool = poolOf(deployment);
        if (pool === undefined) {
          console.log(`      skipped: no such pool on the ${deployment.target}`);
          this.skip();
        }
        const read = <F extends "token0" | "token1" | "tickSpacing" | "slot0">(functionName: F) =>
          publicClient.readContract({ address: pool, abi: uniswapV3PoolAbi, functionName } as const);
        const [token0, token1, tickSpacing, slot0] = await Promise.all([
          read("token0"),
          read("token1"),
          read("tickSpacing"),
          read("slot0"),
        ]);
        const [owner, alice, bob, keeper, treasury] = (await viem.getWalletClients()).map(
          (w) => w.account.address,
        ) as [Address, Address, Address, Address, Address];
        const decimals0 = await publicClient.readContract({
          address: token0,
          abi: erc20Abi,
          functionName: "decimals",
        });

        const { factory, lens } = await deployVaultFactory(viem, deployment.factory);
        const vault = await deployVault(viem, {
          factory,
          pool,
          name: "Rangekeeper lifecycle",
          symbol: "rkLIFE",
          owner,
          keeper,
          treasury,
          protocolFeeBps: 1000,
          params: defaultVaultParams(tickSpacing),
        });
        // Amounts worth the same at the pool's price, ten units of token0 each.
        const amount0 = 10n * 10n ** BigInt(decimals0);
        const amount1 = quote0In1(amount0, slot0[0]);
        for (const account of [alice, bob]) {
          for (const [token, amount] of [
            [token0, amount0 * 2n],
            [token1, amount1 * 2n],
          ] as const) {
            await fundToken(viem, deployment, token, account, amount);
            const wallet = await viem.getWalletClient(account);
            await mined(
              viem,
              await wallet.writeContract({
                address: token,
                abi: erc20Abi,
                functionName: "approve",
                args: [vault, maxUint256],
              }),
            );
          }
        }
        const send = async (account: Address, functionName: string, args: readonly unknown[]) =>
          mined(
            viem,
            await (
              await viem.getWalletClient(account)
            ).writeContract({ address: vault, abi: rangeVaultAbi, functionName, args } as never),
          );
        type Receipt = Awaited<ReturnType<typeof send>>;
        const deposited = (r: Receipt) =>
          parseEventLogs({ abi: rangeVaultAbi, eventName: "Deposit", logs: r.logs })[0]!.args;
        const withdrawn = (r: Receipt) =>
          parseEventLogs({ abi: rangeVaultAbi, eventName: "Withdraw", logs: r.logs })[0]!.args;
        const rebalanced = (r: Receipt) =>
          parseEventLogs({ abi: rangeVaultAbi, eventName: "Rebalance", logs: r.logs })[0]!.args;
        const rebalance = async () => {
          const [, tick] = await read("slot0");
          return rebalanced(
            await send(keeper, "rebalance", [
              centeredRebalance({
                tick,
                tickSpacing,
                baseHalfWidth: 100 * tickSpacing,
                limitWidth: 20 * tickSpacing,
                deadline: FAR_DEADLINE,
              }),
            ]),
          );
        };

        const a = deposited(
          await send(alice, "deposit", [amount0, amount1, 0n, 0n, 0n, alice, FAR_DEADLINE]),
        );
        const first = await rebalance();
        expect(first.baseLiquidity > 0n).to.equal(true);
        const b = deposited(await send(bob, "deposit", [amount0, amount1, 0n, 0n, 0n, bob, FAR_DEADLINE]));
        expect(b.shares > 0n).to.equal(true);

        // Others trade through the pool both ways (fees for the vault), then time passes for the next rebalance.
        const bare = await viem.deployContract("BarePoolUser", [pool]);
        await fundToken(viem, deployment, token0, bare.address, amount0 * 50n);
        await fundToken(viem, deployment, token1, bare.address, amount1 * 50n);
        await mined(viem, await bare.write.swapExactIn([true, amount0]));
        await mined(viem, await bare.write.swapExactIn([false, amount1]));
        await testClient.increaseTime({ seconds: 600 });
        await testClient.mine({ blocks: 1 });
        await rebalance();

        const state = await readVaultState(publicClient, { lens, vault });
        expect(state.total0 > 0n && state.total1 > 0n).to.equal(true);
        expect(state.idle0 + state.base.amount0 + state.limit.amount0).to.equal(state.total0);

        const [sqrtP] = await read("slot0");
        for (const [account, paid] of [
          [alice, a],
          [bob, b],
        ] as const) {
          const shares = await publicClient.readContract({
            address: vault,
            abi: rangeVaultAbi,
            functionName: "balanceOf",
            args: [account],
          });
          const w = withdrawn(await send(account, "withdraw", [shares, 0n, 0n, account, FAR_DEADLINE]));
          // Back within 1 % of what went in, valued at the current price (a small round trip of trades moved it).
          const valueIn = quote0In1(paid.amount0, sqrtP) + paid.amount1;
          const valueOut = quote0In1(w.amount0, sqrtP) + w.amount1;
          expect(valueOut * 100n >= valueIn * 99n, `${account} got ${valueOut} for ${valueIn}`).to.equal(
            true,
          );
        }
        const supply = await publicClient.readContract({
          address: vault,
          abi: rangeVaultAbi,
          functionName: "totalSupply",
        });
        expect(supply).to.equal(1_000_000n);
      });
    },
    options,
  );
}
