import { expect } from "chai";
import { encodePacked, erc20Abi, keccak256, type Address } from "viem";

import { uniswapV3PoolAbi } from "../../src/chain/abi/uniswap.js";
import { readPoolState } from "../../src/chain/readPoolState.js";
import { floorTick, type RebalanceParams } from "../../src/chain/vault/rebalanceParams.js";
import { depositIntoVault } from "../../src/backtest/vault/depositIntoVault.js";
import { VaultRevertError } from "../../src/backtest/vault/errors.js";
import { rebalanceVault, type RebalanceOutcome } from "../../src/backtest/vault/rebalanceVault.js";
import { createVaultModel, type VaultModel } from "../../src/backtest/vault/vaultModel.js";
import { vaultTotalAmounts } from "../../src/backtest/vault/vaultTotalAmounts.js";
import { withdrawFromVault } from "../../src/backtest/vault/withdrawFromVault.js";
import { PoolSimulator } from "../../src/uniswap/poolSimulator.js";
import { expectRevert, FAR_DEADLINE, useMirror, vaultActions } from "../support/vaultActions.js";
import { deployPoolAndVault, E18, mined } from "../support/vaultPool.js";

const MIN_LIMIT = 4295128740n;
const MAX_LIMIT = 1461446703485210103287273052203988822378723970341n;

describe("vault model (src/backtest/vault) against the real RangeVault on the mirror", function () {
  const get = useMirror(async (connection, deployment) => deployPoolAndVault(connection.viem, deployment));

  it("gives the contract's shares, amounts, ranges, liquidity, totals, fees and reverts to the wei, call by call", async function () {
    const { connection, value } = get();
    const { pool, v, params } = value;
    const viem = connection.viem;
    const publicClient = await viem.getPublicClient();
    const testClient = await viem.getTestClient();
    const vault = vaultActions(viem, pool, v);
    const wallets = await viem.getWalletClients();
    const [alice, bob] = [wallets[1]!.account.address, wallets[2]!.account.address];
    const trader = await viem.getContractAt("BarePoolUser", pool.lp);

    const { state } = await readPoolState(publicClient, { pool: pool.pool, observations: true });
    const model: VaultModel = createVaultModel({
      pool: new PoolSimulator(state),
      address: v.vault,
      params,
      protocolFeeBps: 1000,
    });
    let time = state.blockTimestamp!;
    const nextBlock = async (seconds = 120) => {
      time += seconds;
      await testClient.setNextBlockTimestamp({ timestamp: BigInt(time) });
      model.pool.setTime(time);
    };
    const positionLiquidity = async (lower: number, upper: number) => {
      const key = keccak256(encodePacked(["address", "int24", "int24"], [v.vault, lower, upper]));
      const [liquidity] = await publicClient.readContract({
        address: pool.pool,
        abi: uniswapV3PoolAbi,
        functionName: "positions",
        args: [key],
      });
      return liquidity;
    };
    const compare = async (label: string) => {
      const status = await vault.read<{
        baseLower: number;
        baseUpper: number;
        limitLower: number;
        limitUpper: number;
        lastRebalance: number;
        lossUsedPpm: number;
      }>("getStatus");
      const onChain = {
        totals: [...(await vault.totals())],
        status: [status.baseLower, status.baseUpper, status.limitLower, status.limitUpper],
        guards: [Number(status.lastRebalance), Number(status.lossUsedPpm)],
        liquidity: [
          await positionLiquidity(status.baseLower, status.baseUpper),
          await positionLiquidity(status.limitLower, status.limitUpper),
        ],
        protocolFees: [await vault.read<bigint>("protocolFees0"), await vault.read<bigint>("protocolFees1")],
        supply: await vault.totalSupply(),
        balances: await Promise.all(
          [pool.token0, pool.token1].map((address) =>
            publicClient.readContract({ address, abi: erc20Abi, functionName: "balanceOf", args: [v.vault] }),
          ),
        ),
        price: (await vault.slot0()).slice(0, 2),
      };
      const totals = vaultTotalAmounts(model);
      const modelled = {
        totals: [totals.total0, totals.total1],
        status: [model.baseLower, model.baseUpper, model.limitLower, model.limitUpper],
        guards: [model.lastRebalance, model.lossUsedPpm],
        liquidity: [
          model.baseLower === model.baseUpper
            ? 0n
            : model.pool.position(v.vault, model.baseLower, model.baseUpper).liquidity,
          model.limitLower === model.limitUpper
            ? 0n
            : model.pool.position(v.vault, model.limitLower, model.limitUpper).liquidity,
        ],
        protocolFees: [model.protocolFees0, model.protocolFees1],
        supply: model.totalSupply,
        balances: [model.balance0, model.balance1],
        price: [model.pool.sqrtPriceX96, model.pool.tick],
      };
      expect(modelled, label).to.deep.equal(onChain);
    };
    const deposit = async (account: Address, amount0: bigint, amount1: bigint) => {
      await nextBlock();
      const real = await vault.deposit(account, amount0, amount1);
      const modelled = depositIntoVault(model, {
        to: account,
        amount0Desired: amount0,
        amount1Desired: amount1,
      });
      expect([modelled.shares, modelled.amount0, modelled.amount1]).to.deep.equal([
        real.shares,
        real.amount0,
        real.amount1,
      ]);
      await compare(`deposit ${amount0}/${amount1}`);
    };
    const withdraw = async (account: Address, shares: bigint) => {
      await nextBlock();
      const real = await vault.withdraw(account, shares);
      const modelled = withdrawFromVault(model, { from: account, shares });
      expect([modelled.amount0, modelled.amount1]).to.deep.equal([real.amount0, real.amount1]);
      await compare(`withdraw ${shares}`);
    };
    const rebalance = async (
      request: Omit<RebalanceParams, "expectedTick" | "tickTolerance" | "deadline">,
    ) => {
      await nextBlock();
      const full = { ...request, expectedTick: model.pool.tick, tickTolerance: 0, deadline: FAR_DEADLINE };
      const real = await vault.rebalance(full);
      const modelled: RebalanceOutcome = rebalanceVault(model, full);
      const { collected: _collected, ...event } = modelled;
      const { receipt: _receipt, ...realEvent } = real;
      expect(event).to.deep.equal(realEvent);
      await compare(`rebalance to [${request.baseLower}, ${request.baseUpper}]`);
      return modelled;
    };
    const trade = async (zeroForOne: boolean, amountIn: bigint) => {
      await nextBlock();
      await mined(viem, await trader.write.swapExactIn([zeroForOne, amountIn]));
      model.pool.swap({
        zeroForOne,
        amountSpecified: amountIn,
        sqrtPriceLimitX96: zeroForOne ? MIN_LIMIT : MAX_LIMIT,
      });
    };
    const noSwap = { swapZeroForOne: false, swapAmountIn: 0n, swapSqrtPriceLimitX96: 0n };
    const spacing = pool.tickSpacing;

    await deposit(alice, 1000n * E18, 1000n * E18);
    let floor = floorTick(model.pool.tick, spacing);
    await rebalance({ baseLower: floor - 3600, baseUpper: floor + 3600, limitWidth: 1200, ...noSwap });
    await trade(true, 3000n * E18);
    await trade(false, 1000n * E18);
    await deposit(bob, 500n * E18, 700n * E18);
    await deposit(alice, 100n * E18, 1n * E18);

    // A base skewed below the price, with a swap of token1 for token0 through the pool first.
    await trade(true, 500n * E18);
    floor = floorTick(model.pool.tick, spacing);
    const skewed = await rebalance({
      baseLower: floor - 2400,
      baseUpper: floor + 1200,
      limitWidth: 600,
      swapZeroForOne: false,
      swapAmountIn: 40n * E18,
      swapSqrtPriceLimitX96: MAX_LIMIT,
    });
    expect(skewed.swapAmount1).to.equal(40n * E18);
    expect(skewed.collected!.protocolFees0 + skewed.collected!.protocolFees1 > 0n).to.equal(true);

    // Too soon: both refuse, and the model is left as it was.
    await nextBlock(60);
    const tooSoon = { baseLower: floor - 600, baseUpper: floor + 600, limitWidth: 600, ...noSwap };
    const request = { ...tooSoon, expectedTick: model.pool.tick, tickTolerance: 0, deadline: FAR_DEADLINE };
    await expectRevert(() => vault.rebalance(request), "RebalanceTooSoon");
    const before = vaultTotalAmounts(model);
    expect(() => rebalanceVault(model, request))
      .to.throw(VaultRevertError)
      .with.property("error", "RebalanceTooSoon");
    expect(vaultTotalAmounts(model)).to.deep.equal(before);

    await trade(true, 2500n * E18);
    await withdraw(alice, (await vault.shares(alice)) / 2n);
    await trade(false, 4000n * E18);
    floor = floorTick(model.pool.tick, spacing);
    await rebalance({
      baseLower: floor - 1800,
      baseUpper: floor + 1860,
      limitWidth: 2400,
      swapZeroForOne: true,
      swapAmountIn: 25n * E18,
      swapSqrtPriceLimitX96: MIN_LIMIT,
    });
    await trade(true, 1500n * E18);
    await withdraw(bob, await vault.shares(bob));
    await deposit(bob, 10n * E18, 10n * E18);
    expect(model.shares.get(alice.toLowerCase())).to.equal(await vault.shares(alice));
  });
});
