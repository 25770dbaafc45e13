import { expect } from "chai";
import { encodeFunctionData, erc20Abi, maxUint256, type Address } from "viem";

import { rangeVaultAbi } from "../../src/chain/vault/abi.js";
import { defaultVaultParams } from "../../src/chain/vault/params.js";
import {
  balanceOf,
  expectRevert,
  FAR_DEADLINE,
  fundAndApprove,
  quote0In1,
  useMirror,
  vaultActions,
} from "../support/vaultActions.js";
import { createTestPool, deployPoolAndVault, deploySiblingVault, E18, mined } from "../support/vaultPool.js";

// Every test here is an attack from ../shared/notes/domain.md's table: it asserts the attacker ends with no profit
// and the honest holders with no loss (valued at the price before the attack), or that the guard refuses the move.
describe("RangeVault attacks", function () {
  const ctx = useMirror(async (connection, deployment) => {
    const { viem } = connection;
    const { pool, v } = await deployPoolAndVault(viem, deployment);
    const wallets = (await viem.getWalletClients()).map((w) => w.account.address);
    const [alice, victim, attacker] = wallets as [Address, Address, Address];
    // A second, empty vault on the same pool for the first-depositor attack.
    const empty = await deploySiblingVault(viem, v, pool.pool, {
      name: "Empty",
      params: defaultVaultParams(pool.tickSpacing),
    });
    for (const token of [pool.token0, pool.token1]) {
      for (const account of wallets) {
        const wallet = await viem.getWalletClient(account);
        await mined(
          viem,
          await wallet.writeContract({
            address: token,
            abi: erc20Abi,
            functionName: "approve",
            args: [empty, maxUint256],
          }),
        );
      }
    }
    const actions = vaultActions(viem, pool, v);
    await actions.deposit(alice, 1000n * E18, 1000n * E18);
    await actions.rebalance(await actions.centered());
    const [sqrtPriceX96] = await actions.slot0();
    return { pool, v, actions, empty, alice, victim, attacker, sqrtP0: sqrtPriceX96 };
  });

  /** The attacker hands 100,000 of each token to its contract. */
  async function fundFromAttacker(to: Address) {
    const { connection, value } = ctx();
    const wallet = await connection.viem.getWalletClient(value.attacker);
    for (const token of [value.pool.token0, value.pool.token1]) {
      const hash = await wallet.writeContract({
        address: token,
        abi: erc20Abi,
        functionName: "transfer",
        args: [to, 100_000n * E18],
      });
      await mined(connection.viem, hash);
    }
  }

  /** Value in token1 at the pre-attack price of what `account` holds of both tokens. */
  async function wealth(account: Address) {
    const { connection, value } = ctx();
    const b0 = await balanceOf(connection.viem, value.pool.token0, account);
    const b1 = await balanceOf(connection.viem, value.pool.token1, account);
    return quote0In1(b0, value.sqrtP0) + b1;
  }

  /** Alice's claim (her share of the vault's holdings) valued at the pre-attack price. */
  async function aliceClaim() {
    const { value } = ctx();
    const [t0, t1] = await value.actions.totals();
    const shares = await value.actions.shares(value.alice);
    const supply = await value.actions.totalSupply();
    return ((quote0In1(t0, value.sqrtP0) + t1) * shares) / supply;
  }

  it("first-depositor inflation: a 1-wei first deposit is refused, and a donation after a minimal one costs the attacker ~all of it", async function () {
    const { connection, value } = ctx();
    const { viem } = connection;
    const { empty, attacker, victim, pool } = value;
    const send = async (account: Address, functionName: string, args: readonly unknown[]) =>
      mined(
        viem,
        await (
          await viem.getWalletClient(account)
        ).writeContract({ address: empty, abi: rangeVaultAbi, functionName, args } as never),
      );
    await expectRevert(
      () => send(attacker, "deposit", [1n, 0n, 0n, 0n, 0n, attacker, FAR_DEADLINE]),
      "FirstDepositTooSmall",
    );

    const attackerBefore = await wealth(attacker);
    const victimBefore = await wealth(victim);
    // The smallest first deposit allowed, then a large donation to inflate the share price.
    await send(attacker, "deposit", [1_000_001n, 0n, 0n, 0n, 0n, attacker, FAR_DEADLINE]);
    const donation = 1000n * E18;
    const attackerWallet = await viem.getWalletClient(attacker);
    await mined(
      viem,
      await attackerWallet.writeContract({
        address: pool.token0,
        abi: erc20Abi,
        functionName: "transfer",
        args: [empty, donation],
      }),
    );

    // A victim who set minShares from a quote taken before the front-run is refused outright.
    await expectRevert(
      () => send(victim, "deposit", [100n * E18, 100n * E18, 0n, 0n, 100n * E18, victim, FAR_DEADLINE]),
      "TooFewShares",
    );
    // One who did not still gets shares worth its deposit to within one share's value (1e15 of 1e20).
    await send(victim, "deposit", [100n * E18, 100n * E18, 0n, 0n, 0n, victim, FAR_DEADLINE]);
    const read = async (functionName: string, args: readonly unknown[]) =>
      (await viem.getPublicClient()).readContract({
        address: empty,
        abi: rangeVaultAbi,
        functionName,
        args,
      } as never) as Promise<bigint>;
    for (const account of [victim, attacker]) {
      await send(account, "withdraw", [await read("balanceOf", [account]), 0n, 0n, account, FAR_DEADLINE]);
    }
    const attackerProfit = (await wealth(attacker)) - attackerBefore;
    const victimLoss = victimBefore - (await wealth(victim));
    expect(attackerProfit < -(donation * 99n) / 100n, `attacker profit ${attackerProfit}`).to.equal(true);
    expect(victimLoss <= 10n ** 15n, `victim loss ${victimLoss}`).to.equal(true);
    expect(victimLoss >= 0n).to.equal(true);
  });

  it("deposit and withdraw around a manipulated spot price: refused beyond maxTwapDeviation, unprofitable within it", async function () {
    const { connection, value } = ctx();
    const { viem } = connection;
    const { pool, v } = value;
    const manipulator = await viem.deployContract("PriceManipulator", [v.vault]);
    await fundFromAttacker(manipulator.address);
    const wealthOf = async () => {
      const b0 = await balanceOf(viem, pool.token0, manipulator.address);
      const b1 = await balanceOf(viem, pool.token1, manipulator.address);
      return quote0In1(b0, value.sqrtP0) + b1;
    };
    // Pushing 2 % of the pool's depth moves the price ~400 ticks: the deposit sees spot far from the TWAP.
    await expectRevert(
      () => manipulator.write.attack([true, 2000n * E18, 1000n * E18]),
      "PriceDeviatesFromTwap",
    );

    const claimBefore = await aliceClaim();
    const before = await wealthOf();
    // 400e18 moves it ~80 ticks, inside the 100-tick deviation: the deposit goes through, at a loss to the attacker.
    await manipulator.write.attack([true, 400n * E18, 1000n * E18]);
    const profit = (await wealthOf()) - before;
    const [, tick] = await value.actions.slot0();
    expect(Math.abs(tick) <= 1, `price back near the start, tick ${tick}`).to.equal(true);
    expect(profit < 0n, `attacker profit ${profit}`).to.equal(true);
    expect((await aliceClaim()) >= claimBefore, "alice's claim did not shrink").to.equal(true);
    expect(await value.actions.shares(manipulator.address)).to.equal(0n);
  });

  it("sandwich of a rebalance: refused beyond the keeper's tolerance, and no gain for the attacker within it", async function () {
    const { connection, value } = ctx();
    const { viem } = connection;
    const { pool, actions } = value;
    const testClient = await viem.getTestClient();
    await testClient.increaseTime({ seconds: 600 });
    await testClient.mine({ blocks: 1 });
    const trader = await viem.deployContract("BarePoolUser", [pool.pool]);
    await fundFromAttacker(trader.address);
    const traderWealth = async () =>
      quote0In1(await balanceOf(viem, pool.token0, trader.address), value.sqrtP0) +
      (await balanceOf(viem, pool.token1, trader.address));
    const vaultValue = async () => {
      const [t0, t1] = await actions.totals();
      return quote0In1(t0, value.sqrtP0) + t1;
    };
    const planned = await actions.centered(3600, 1200, 5);

    // The counterfactual: the same rebalance, not sandwiched.
    const snapshot = await testClient.snapshot();
    await actions.rebalance(planned);
    const honestValue = await vaultValue();
    await testClient.revert({ id: snapshot });
    const untouched = await testClient.snapshot();

    // Front-run by 30 ticks: beyond the keeper's 5-tick tolerance, the rebalance is refused.
    const before = await traderWealth();
    const front = await trader.write.swapExactIn([true, 150n * E18]);
    await mined(viem, front);
    await expectRevert(() => actions.rebalance(planned), "UnexpectedTick");

    // Front-run by 1 tick, inside the tolerance: it goes through; the attacker unwinds what it bought.
    await testClient.revert({ id: untouched });
    await mined(viem, await trader.write.swapExactIn([true, 5n * E18]));
    await actions.rebalance(planned);
    const bought = (await balanceOf(viem, pool.token1, trader.address)) - 100_000n * E18;
    await mined(viem, await trader.write.swapExactIn([false, bought]));
    const profit = (await traderWealth()) - before;
    const vaultLoss = honestValue - (await vaultValue());
    expect(profit < 0n, `attacker profit ${profit}`).to.equal(true);
    expect(vaultLoss <= 0n, `vault loss against the unsandwiched rebalance ${vaultLoss}`).to.equal(true);
  });

  it("re-entry through a malicious token callback: every re-entry is refused and the operation completes unharmed", async function () {
    const { connection, deployment, value } = ctx();
    const { viem } = connection;
    const evil = await viem.deployContract("ReentrantToken");
    const plain = await viem.deployContract("MirrorToken", ["Plain", "PLN", 18]);
    // A pool of the malicious token and a plain one, with an LP and a vault of its own.
    const evilPool = await createTestPool(viem, deployment, evil.address, plain.address, {
      cardinality: 10,
      traderFunds: 10n ** 30n,
    });
    const testClient = await viem.getTestClient();
    await testClient.increaseTime({ seconds: 3600 });
    await testClient.mine({ blocks: 1 });
    const vault = await deploySiblingVault(viem, value.v, evilPool.pool, {
      name: "Evil",
      params: defaultVaultParams(60),
    });
    const user = value.alice;
    await fundAndApprove(viem, [evil.address, plain.address], user, vault, 10n ** 24n);
    const call = async (account: Address, functionName: string, args: readonly unknown[]) =>
      mined(
        viem,
        await (
          await viem.getWalletClient(account)
        ).writeContract({ address: vault, abi: rangeVaultAbi, functionName, args } as never),
      );
    await call(user, "deposit", [1000n * E18, 1000n * E18, 0n, 0n, 0n, user, FAR_DEADLINE]);

    const reentries = {
      deposit: encodeFunctionData({
        abi: rangeVaultAbi,
        functionName: "deposit",
        args: [1n, 1n, 0n, 0n, 0n, user, FAR_DEADLINE],
      }),
      withdraw: encodeFunctionData({
        abi: rangeVaultAbi,
        functionName: "withdraw",
        args: [1n, 0n, 0n, user, FAR_DEADLINE],
      }),
      claim: encodeFunctionData({ abi: rangeVaultAbi, functionName: "claimProtocolFees", args: [] }),
    };
    const guardSelector = "0x3ee5aeb5"; // ReentrancyGuardReentrantCall()
    const [tick] = [0];
    const rebalanceArgs = {
      baseLower: -3600,
      baseUpper: 3600,
      limitWidth: 1200,
      expectedTick: tick,
      tickTolerance: 5,
      swapZeroForOne: false,
      swapAmountIn: 0n,
      swapSqrtPriceLimitX96: 0n,
      deadline: FAR_DEADLINE,
    };
    const operations: [string, () => Promise<unknown>][] = [
      ["deposit", () => call(user, "deposit", [10n * E18, 10n * E18, 0n, 0n, 0n, user, FAR_DEADLINE])],
      ["rebalance", () => call(value.v.keeper, "rebalance", [rebalanceArgs])],
      ["withdraw", () => call(user, "withdraw", [10n * E18, 0n, 0n, user, FAR_DEADLINE])],
    ];
    for (const [name, operation] of operations) {
      for (const [reentry, payload] of Object.entries(reentries)) {
        const supplyBefore = await (
          await viem.getPublicClient()
        ).readContract({ address: vault, abi: rangeVaultAbi, functionName: "totalSupply" });
        await mined(viem, await evil.write.arm([vault, payload]));
        const attemptsBefore = await evil.read.attempts();
        const snapshot = await testClient.snapshot();
        await operation();
        await mined(viem, await evil.write.arm(["0x0000000000000000000000000000000000000000", "0x"]));
        expect((await evil.read.attempts()) > attemptsBefore, `${name}: the hook fired`).to.equal(true);
        expect(await evil.read.successes(), `${name} re-entered by ${reentry}`).to.equal(0n);
        expect(
          (await evil.read.lastRevert()).slice(0, 10),
          `${name}/${reentry} refused by the guard`,
        ).to.equal(guardSelector);
        const supplyAfter = await (
          await viem.getPublicClient()
        ).readContract({ address: vault, abi: rangeVaultAbi, functionName: "totalSupply" });
        if (name === "rebalance") expect(supplyAfter).to.equal(supplyBefore);
        await testClient.revert({ id: snapshot });
      }
      await operation();
    }
  });

  it("fee-on-transfer token: the deposit is refused, so no share is minted for tokens that never arrived", async function () {
    const { connection, deployment, value } = ctx();
    const { viem } = connection;
    const fot = await viem.deployContract("FeeOnTransferToken");
    const plain = await viem.deployContract("MirrorToken", ["Plain", "PLN", 18]);
    // No LP: the pool could not even take a fee-on-transfer token's liquidity.
    const fotPool = await createTestPool(viem, deployment, fot.address, plain.address, { lpLiquidity: 0n });
    const vault = await deploySiblingVault(viem, value.v, fotPool.pool, {
      name: "F",
      params: defaultVaultParams(60),
    });
    const user = value.alice;
    await fundAndApprove(viem, [fot.address, plain.address], user, vault, 10n ** 24n);
    const args = await expectRevert(
      async () =>
        mined(
          viem,
          await (
            await viem.getWalletClient(user)
          ).writeContract({
            address: vault,
            abi: rangeVaultAbi,
            functionName: "deposit",
            args: [1000n * E18, 1000n * E18, 0n, 0n, 0n, user, FAR_DEADLINE],
          }),
        ),
      "UnsupportedToken",
    );
    expect(BigInt(String(args[1]))).to.equal(1000n * E18);
    expect(BigInt(String(args[2]))).to.equal(990n * E18);
  });
});
