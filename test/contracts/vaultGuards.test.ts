import { expect } from "chai";
import { parseEventLogs, zeroAddress, type Address } from "viem";

import { rangeVaultAbi, rangeVaultFactoryAbi, rangeVaultLensAbi } from "../../src/chain/vault/abi.js";
import { VAULT_BOUNDS, type VaultParams } from "../../src/chain/vault/params.js";
import { floorTick } from "../../src/chain/vault/rebalanceParams.js";
import { expectRevert, FAR_DEADLINE, quote0In1, useMirror, vaultActions } from "../support/vaultActions.js";
import { deployPoolAndVault, E18, mined } from "../support/vaultPool.js";

describe("RangeVault guards", function () {
  const ctx = useMirror(async (connection, deployment) => {
    const { viem } = connection;
    const { pool, v, params } = await deployPoolAndVault(viem, deployment);
    const wallets = (await viem.getWalletClients()).map((w) => w.account.address);
    const alice = wallets[1]!;
    const stranger = wallets[5]!;
    const actions = vaultActions(viem, pool, v);
    await actions.deposit(alice, 1000n * E18, 1000n * E18);
    await actions.rebalance(await actions.centered());
    const lp = await viem.getContractAt("BarePoolUser", pool.lp);
    return { pool, v, actions, alice, stranger, params, lp };
  });

  const advance = async (seconds: number) => {
    const testClient = await ctx().connection.viem.getTestClient();
    await testClient.increaseTime({ seconds });
    await testClient.mine({ blocks: 1 });
  };

  it("refuses a wrong caller for every restricted function", async function () {
    const { v, actions, alice, stranger, params } = ctx().value;
    const ownerOnly: [string, readonly unknown[]][] = [
      ["setParams", [params]],
      ["setKeeper", [stranger]],
      ["setTreasury", [stranger]],
      ["setProtocolFee", [500]],
      ["pause", []],
      ["unpause", []],
      ["emergencyExit", []],
      ["transferOwnership", [stranger]],
      ["renounceOwnership", []],
    ];
    for (const [fn, args] of ownerOnly) {
      for (const caller of [v.keeper, v.treasury, alice]) {
        const [account] = await expectRevert(
          () => actions.send(caller, fn, args),
          "OwnableUnauthorizedAccount",
        );
        expect(String(account).toLowerCase(), `${fn} by ${caller}`).to.equal(caller.toLowerCase());
      }
    }
    for (const caller of [v.owner, v.treasury, alice]) {
      await expectRevert(async () => actions.rebalance(await actions.centered(), caller), "NotKeeper");
    }
    for (const caller of [v.owner, v.keeper, alice]) {
      await expectRevert(() => actions.send(caller, "claimProtocolFees", []), "NotTreasury");
    }
    // Two-step ownership: nothing changes until the new owner accepts, and nobody else can accept.
    await actions.send(v.owner, "transferOwnership", [stranger]);
    expect((await actions.read<string>("owner")).toLowerCase()).to.equal(v.owner.toLowerCase());
    await expectRevert(() => actions.send(alice, "acceptOwnership", []), "OwnableUnauthorizedAccount");
    await actions.send(stranger, "acceptOwnership", []);
    expect((await actions.read<string>("owner")).toLowerCase()).to.equal(stranger.toLowerCase());
  });

  it("refuses callbacks from anything but the pool inside the vault's own call", async function () {
    const { v, actions, alice } = ctx().value;
    const { viem } = ctx().connection;
    const [total0, total1] = await actions.totals();
    for (const caller of [alice, v.keeper, v.owner]) {
      await expectRevert(
        () => actions.send(caller, "uniswapV3MintCallback", [10n ** 18n, 10n ** 18n, "0x"]),
        "NotPoolCallback",
      );
      await expectRevert(
        () => actions.send(caller, "uniswapV3SwapCallback", [10n ** 18n, 10n ** 18n, "0x"]),
        "NotPoolCallback",
      );
    }
    // The pool itself, impersonated, is refused too when the vault did not call it.
    const testClient = await viem.getTestClient();
    await testClient.impersonateAccount({ address: ctx().value.pool.pool });
    await testClient.setBalance({ address: ctx().value.pool.pool, value: 10n ** 18n });
    await expectRevert(
      () => actions.send(ctx().value.pool.pool, "uniswapV3MintCallback", [10n ** 18n, 0n, "0x"]),
      "NotPoolCallback",
    );
    expect(await actions.totals()).to.deep.equal([total0, total1]);
  });

  it("a compromised keeper rebalancing to the worst allowed ranges as often as allowed loses no more than the budget", async function () {
    const { viem } = ctx().connection;
    const { v, actions, pool, lp, params } = ctx().value;
    // An hourly interval keeps the test short. The budget: 10 bps a call, 30 bps a day. Unbounded, a loss-making
    // swap every hour would cost ~10 bps each time (the TWAP check caps the swap's price impact).
    const tight = {
      ...params,
      minRebalanceInterval: 3600,
      maxLossPerRebalanceBps: 10,
      maxLossPerWindowBps: 30,
    };
    await actions.send(v.owner, "setParams", [tight]);
    const [sqrtP0] = await actions.slot0();
    const value = async () => {
      const [t0, t1] = await actions.totals();
      return quote0In1(t0, sqrtP0) + t1;
    };
    const start = await value();
    const publicClient = await viem.getPublicClient();
    const hours = 12;
    let losses = 0;
    let measuredPpm = 0n;
    for (let hour = 0; hour < hours; hour++) {
      await advance(3600);
      const [, tick] = await actions.slot0();
      const floor = floorTick(tick, pool.tickSpacing);
      // Sell whichever token the vault holds more of (the accomplice's round trips leave it one-sided).
      const [held0, held1] = await actions.totals();
      const zeroForOne = quote0In1(held0, sqrtP0) > held1;
      // Narrowest base and limit, and the largest loss-making swap the guards let through (found by simulation).
      const worst = (amount: bigint) => ({
        baseLower: floor - tight.minBaseWidth / 2,
        baseUpper: floor + tight.minBaseWidth / 2,
        limitWidth: tight.minLimitWidth,
        expectedTick: tick,
        tickTolerance: 0,
        swapZeroForOne: zeroForOne,
        swapAmountIn: amount,
        swapSqrtPriceLimitX96: zeroForOne ? 4295128740n : 1461446703485210103287273052203988822378723970341n,
        deadline: FAR_DEADLINE,
      });
      let amount = 1000n * E18;
      let passed = false;
      for (let i = 0; i < 30 && !passed; i++) {
        try {
          await publicClient.simulateContract({
            address: v.vault,
            abi: rangeVaultAbi,
            functionName: "rebalance",
            args: [worst(amount)],
            account: v.keeper,
          });
          passed = true;
        } catch {
          amount = (amount * 4n) / 5n;
        }
      }
      if (!passed) continue;
      const done = await actions.rebalance(worst(amount));
      measuredPpm += ((done.valueBefore - done.valueAfter) * 1_000_000n) / done.valueBefore;
      losses++;
      // The accomplice takes the other side back to the starting price, pocketing what the vault lost.
      await mined(viem, await lp.write.swapTo([sqrtP0]));
    }
    const lossBps = Number(((start - (await value())) * 10_000n * 100n) / start) / 100;
    const bound = tight.maxLossPerWindowBps * (1 + (hours * 3600) / tight.lossWindow);
    expect(losses, "a loss-making rebalance every hour").to.equal(hours);
    expect(Number(measuredPpm) / 100 <= bound, `vault-measured loss ${measuredPpm} ppm`).to.equal(true);
    expect(lossBps <= bound, `loss ${lossBps} bps within ${bound} bps`).to.equal(true);
    // The keeper did use the budget up: the bound is what held it, not a lack of trying.
    expect(lossBps >= tight.maxLossPerWindowBps * 0.9, `loss ${lossBps} bps`).to.equal(true);
    await expectRevert(
      async () => actions.rebalance({ ...(await actions.centered()), swapAmountIn: 0n }),
      "RebalanceTooSoon",
    );
  });

  it("checks the keeper's priced state, ranges and the price after the swap", async function () {
    const { actions, lp, params } = ctx().value;
    await advance(params.minRebalanceInterval);
    const good = await actions.centered(3600, 1200, 0);
    const cases: [string, object][] = [
      ["TickNotAligned", { baseLower: good.baseLower + 1 }],
      ["RangeOutOfBounds", { baseLower: good.baseUpper, baseUpper: good.baseLower }],
      ["BaseWidthOutOfBounds", { baseLower: -300, baseUpper: 240 }],
      ["LimitWidthOutOfBounds", { limitWidth: 0 }],
      ["LimitWidthOutOfBounds", { limitWidth: 90 }],
      ["BaseExcludesPrice", { baseLower: 600, baseUpper: 6000 }],
      ["UnexpectedTick", { expectedTick: good.expectedTick + 1 }],
      ["ToleranceAboveMaxDeviation", { tickTolerance: params.maxTwapDeviation + 1 }],
      ["Expired", { deadline: 1n }],
      // A swap that drags the price 200+ ticks: refused after the swap, before anything is minted.
      [
        "PriceDeviatesFromTwap",
        { swapZeroForOne: true, swapAmountIn: 800n * E18, swapSqrtPriceLimitX96: 4295128740n },
      ],
    ];
    for (const [error, change] of cases) {
      await expectRevert(() => actions.rebalance({ ...good, ...change }), error);
    }
    // A price pushed away from the TWAP refuses rebalances (and deposits) even when the keeper expects it.
    await mined(ctx().connection.viem, await lp.write.swapExactIn([true, 2000n * E18]));
    const pushed = await actions.centered(3600, 1200, 0);
    await expectRevert(() => actions.rebalance(pushed), "PriceDeviatesFromTwap");
    await expectRevert(() => actions.deposit(ctx().value.alice, E18, E18), "PriceDeviatesFromTwap");
    // Once the TWAP catches up the same request goes through, and the event carries the ranges and amounts.
    await advance(120);
    const done = await actions.rebalance(pushed);
    expect(done.baseLower).to.equal(pushed.baseLower);
    expect(done.baseUpper).to.equal(pushed.baseUpper);
    expect(done.twapTick).to.equal(done.tick);
    expect(done.baseLiquidity > 0n).to.equal(true);
    expect(done.limitUpper - done.limitLower).to.equal(1200);
    // The limit range is one-sided: entirely above or below the price.
    expect(done.limitUpper <= done.tick || done.limitLower > done.tick).to.equal(true);
    const status = await actions.read<{ baseLower: number; lastRebalance: number }>("getStatus");
    expect(status.baseLower).to.equal(pushed.baseLower);
  });

  it("pauses deposits and rebalances but never withdrawals; the emergency exit pulls all liquidity into the vault", async function () {
    const { v, actions, alice, params } = ctx().value;
    const [before0, before1] = await actions.totals();
    await actions.send(v.owner, "pause", []);
    await expectRevert(() => actions.deposit(alice, E18, E18), "DepositsAndRebalancesPaused");
    await advance(params.minRebalanceInterval);
    await expectRevert(
      async () => actions.rebalance(await actions.centered()),
      "DepositsAndRebalancesPaused",
    );
    const withdrawn = await actions.withdraw(alice, (await actions.shares(alice)) / 10n);
    expect(withdrawn.amount0 > 0n && withdrawn.amount1 > 0n).to.equal(true);
    await actions.send(v.owner, "unpause", []);

    await actions.send(v.owner, "emergencyExit", []);
    const state = await (
      await ctx().connection.viem.getPublicClient()
    ).readContract({ address: v.lens, abi: rangeVaultLensAbi, functionName: "getState", args: [v.vault] });
    expect(state.base.liquidity).to.equal(0n);
    expect(state.limit.liquidity).to.equal(0n);
    expect(state.status.paused).to.equal(true);
    // Everything is idle now, and nothing left the vault but the withdrawal.
    const [after0, after1] = await actions.totals();
    expect(after0 + withdrawn.amount0 >= before0 - 2n).to.equal(true);
    expect(after1 + withdrawn.amount1 >= before1 - 2n).to.equal(true);
    const rest = await actions.withdraw(alice, await actions.shares(alice));
    expect(rest.amount0 > 0n).to.equal(true);
  });

  it("takes the protocol fee at the rate in force when the fees were earned, and only the treasury claims it", async function () {
    const { viem } = ctx().connection;
    const { v, actions, alice, lp } = ctx().value;
    const trade = async () => {
      await mined(viem, await lp.write.swapExactIn([true, 50n * E18]));
      await mined(viem, await lp.write.swapExactIn([false, 50n * E18]));
    };
    const fees = (receipt: Awaited<ReturnType<typeof actions.deposit>>["receipt"]) =>
      parseEventLogs({ abi: rangeVaultAbi, eventName: "FeesCollected", logs: receipt.logs })[0]!.args;
    await trade();
    // setProtocolFee collects what was earned at the old 10 % first.
    const change = await actions.send(v.owner, "setProtocolFee", [2000]);
    const first = fees(change);
    expect(first.fees0 > 0n).to.equal(true);
    expect(first.protocolFees0).to.equal((first.fees0 * 1000n) / 10_000n);
    await trade();
    const second = fees((await actions.deposit(alice, E18, E18)).receipt);
    expect(second.protocolFees0).to.equal((second.fees0 * 2000n) / 10_000n);
    expect(second.protocolFees1).to.equal((second.fees1 * 2000n) / 10_000n);
    const accrued = await actions.read<bigint>("protocolFees0");
    expect(accrued).to.equal(first.protocolFees0 + second.protocolFees0);
    await expectRevert(
      () => actions.send(v.owner, "setProtocolFee", [VAULT_BOUNDS.maxProtocolFeeBps + 1]),
      "ParamOutOfBounds",
    );
    const claim = await actions.send(v.treasury, "claimProtocolFees", []);
    const [claimed] = parseEventLogs({
      abi: rangeVaultAbi,
      eventName: "ProtocolFeesClaimed",
      logs: claim.logs,
    });
    expect(claimed!.args.amount0).to.equal(accrued);
    expect(await actions.read<bigint>("protocolFees0")).to.equal(0n);
  });

  it("holds every parameter to its hard bound", async function () {
    const { v, actions, params } = ctx().value;
    const over: [keyof VaultParams, number, number][] = [
      ["twapWindow", 59, 1],
      ["twapWindow", 3601, 1],
      ["maxTwapDeviation", 0, 2],
      ["maxTwapDeviation", 501, 2],
      ["minRebalanceInterval", 59, 3],
      ["minBaseWidth", 60, 4],
      ["maxBaseWidth", params.minBaseWidth - 60, 5],
      ["minLimitWidth", 0, 6],
      ["maxLossPerRebalanceBps", 101, 8],
      ["maxLossPerWindowBps", 501, 9],
      ["lossWindow", 3599, 10],
      ["targetToken1Bps", 10_001, 11],
    ];
    for (const [field, bad, index] of over) {
      const [param] = await expectRevert(
        () => actions.send(v.owner, "setParams", [{ ...params, [field]: bad }]),
        "ParamOutOfBounds",
      );
      expect(Number(param), field).to.equal(index);
    }
    const receipt = await actions.send(v.owner, "setParams", [{ ...params, maxTwapDeviation: 50 }]);
    const [event] = parseEventLogs({ abi: rangeVaultAbi, eventName: "ParamsUpdated", logs: receipt.logs });
    expect(event!.args.params.maxTwapDeviation).to.equal(50);
  });

  it("deposits: deadline, slippage bounds and proportional amounts rounded in the vault's favour", async function () {
    const { actions, alice } = ctx().value;
    const [total0, total1] = await actions.totals();
    const supply = await actions.totalSupply();
    const d = await actions.deposit(alice, 10n * E18, 10n * E18);
    // The binding token is paid in full proportion, the other rounded up; shares rounded down.
    expect(d.shares).to.equal(
      [(10n * E18 * supply) / total0, (10n * E18 * supply) / total1].reduce((a, b) => (a < b ? a : b)),
    );
    expect(d.amount0 * supply >= d.shares * total0).to.equal(true);
    expect(d.amount1 * supply >= d.shares * total1).to.equal(true);
    await expectRevert(() => actions.send(alice, "deposit", [E18, E18, 0n, 0n, 0n, alice, 1n]), "Expired");
    await expectRevert(
      () => actions.send(alice, "deposit", [E18, E18, 0n, 0n, 10n ** 30n, alice, FAR_DEADLINE]),
      "TooFewShares",
    );
    await expectRevert(
      () => actions.send(alice, "deposit", [E18, E18, E18 * 2n, 0n, 0n, alice, FAR_DEADLINE]),
      "Amount0BelowMin",
    );
    await expectRevert(
      () => actions.send(alice, "deposit", [0n, 0n, 0n, 0n, 0n, alice, FAR_DEADLINE]),
      "ZeroDeposit",
    );
    await expectRevert(
      () => actions.send(alice, "deposit", [E18, E18, 0n, 0n, 0n, zeroAddress, FAR_DEADLINE]),
      "InvalidRecipient",
    );
    await expectRevert(
      () => actions.send(alice, "withdraw", [1n, 10n ** 30n, 0n, alice, FAR_DEADLINE]),
      "Amount0BelowMin",
    );
    await expectRevert(
      () => actions.send(alice, "withdraw", [0n, 0n, 0n, alice, FAR_DEADLINE]),
      "ZeroShares",
    );
  });

  it("permit (ERC-2612) lets a signature approve shares", async function () {
    const { viem } = ctx().connection;
    const { actions, alice, stranger, v } = ctx().value;
    const wallet = await viem.getWalletClient(alice);
    const chainId = await (await viem.getPublicClient()).getChainId();
    const nonce = await actions.read<bigint>("nonces", [alice]);
    const signature = await wallet.signTypedData({
      account: alice,
      domain: { name: "Rangekeeper TKA-TKB", version: "1", chainId, verifyingContract: v.vault },
      types: {
        Permit: [
          { name: "owner", type: "address" },
          { name: "spender", type: "address" },
          { name: "value", type: "uint256" },
          { name: "nonce", type: "uint256" },
          { name: "deadline", type: "uint256" },
        ],
      },
      primaryType: "Permit",
      message: { owner: alice, spender: stranger, value: 123n, nonce, deadline: FAR_DEADLINE },
    });
    const r = `0x${signature.slice(2, 66)}` as const;
    const s = `0x${signature.slice(66, 130)}` as const;
    const vByte = Number.parseInt(signature.slice(130, 132), 16);
    await actions.send(stranger, "permit", [alice, stranger, 123n, FAR_DEADLINE, vByte, r, s]);
    expect(await actions.read<bigint>("allowance", [alice, stranger])).to.equal(123n);
  });

  it("the factory deploys only for canonical pools and records vaults by pool", async function () {
    const { viem } = ctx().connection;
    const { v, pool, params } = ctx().value;
    const publicClient = await viem.getPublicClient();
    expect(
      await publicClient.readContract({
        address: v.factory,
        abi: rangeVaultFactoryAbi,
        functionName: "vaultsOf",
        args: [pool.pool],
      }),
    ).to.deep.equal([v.vault]);
    expect(
      await publicClient.readContract({
        address: v.factory,
        abi: rangeVaultFactoryAbi,
        functionName: "isVault",
        args: [v.vault],
      }),
    ).to.equal(true);
    const fake = await viem.deployContract("BarePoolUser", [pool.pool]);
    const [wallet] = await viem.getWalletClients();
    const config = (target: Address, p = params) => ({
      pool: target,
      name: "x",
      symbol: "x",
      owner: v.owner,
      keeper: v.keeper,
      treasury: v.treasury,
      protocolFeeBps: 0,
      params: p,
    });
    const create = async (c: ReturnType<typeof config>) =>
      mined(
        viem,
        await wallet!.writeContract({
          address: v.factory,
          abi: rangeVaultFactoryAbi,
          functionName: "createVault",
          args: [c],
        }),
      );
    // No code, a contract that is no pool, and a real pool contract the canonical factory does not list.
    for (const target of [v.owner, v.vault, fake.address]) {
      await expectRevert(() => create(config(target)), "NotCanonicalPool");
    }
    // The vault's own bound checks surface through the factory.
    await expectRevert(() => create(config(pool.pool, { ...params, twapWindow: 10 })), "ParamOutOfBounds");
  });
});
