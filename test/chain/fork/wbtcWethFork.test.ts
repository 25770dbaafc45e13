import { Token } from "@uniswap/sdk-core";
import { Pool, Position } from "@uniswap/v3-sdk";
import { expect } from "chai";
import {
  erc20Abi,
  hexToBytes,
  maxUint128,
  numberToHex,
  parseEther,
  parseEventLogs,
  stringToHex,
  type Hex,
} from "viem";

import { uniswapV3PoolAbi } from "../../../src/chain/abi/uniswap.js";
import { MAINNET, MAINNET_WBTC_WETH } from "../../../src/chain/addresses.js";
import { MAINNET_FORK_BLOCK } from "../../../src/chain/fork/forkBlock.js";
import { describeOnWbtcWethFork } from "../../support/wbtcWethFork.js";

const WBTC = new Token(1, MAINNET_WBTC_WETH.wbtc, 8, "WBTC");
const WETH = new Token(1, MAINNET.weth, 18, "WETH");

/** The opcodes a runtime code executes, skipping push data and the trailing CBOR metadata. */
function opcodes(code: Hex): Set<number> {
  const bytes = hexToBytes(code);
  const end = bytes.length - 2 - ((bytes[bytes.length - 2]! << 8) | bytes[bytes.length - 1]!);
  const seen = new Set<number>();
  for (let i = 0; i < end; i++) {
    seen.add(bytes[i]!);
    if (bytes[i]! >= 0x60 && bytes[i]! <= 0x7f) i += bytes[i]! - 0x5f;
  }
  return seen;
}

describeOnWbtcWethFork("WBTC/WETH fork fixture", (ctx) => {
  it("funds every wallet account with 100 WBTC and 1,000 WETH, WETH wrapped from ether so WETH9 stays backed", async function () {
    const { viem } = ctx().connection;
    const publicClient = await viem.getPublicClient();
    const wallets = await viem.getWalletClients();
    expect(wallets).to.have.length(20);
    const balanceOf = (token: `0x${string}`, owner: `0x${string}`) =>
      publicClient.readContract({ address: token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
    for (const wallet of wallets) {
      expect(await balanceOf(MAINNET_WBTC_WETH.wbtc, wallet.account.address)).to.equal(100n * 10n ** 8n);
      expect(await balanceOf(MAINNET.weth, wallet.account.address)).to.equal(parseEther("1000"));
    }
    if (ctx().source.kind === "snapshot") {
      // The snapshot's WETH9 backs exactly the pool's recorded WETH; deposits added 20 × 1,000 ether.
      const backing = await publicClient.getBalance({ address: MAINNET.weth });
      expect(backing).to.equal(88885598264154520998851n + parseEther("20000"));
    }
  });

  it("runs the pinned block under mainnet's rules there (Paris): its contracts work, PUSH0/TSTORE/TLOAD/MCOPY do not", async function () {
    const { viem } = ctx().connection;
    const publicClient = await viem.getPublicClient();
    const atFork = { blockNumber: MAINNET_FORK_BLOCK } as const;
    const [sqrtPriceX96] = await publicClient.readContract({
      ...atFork,
      address: MAINNET_WBTC_WETH.pool,
      abi: uniswapV3PoolAbi,
      functionName: "slot0",
    });
    expect(sqrtPriceX96).to.equal(31348122723510866836906548453935473n);
    const symbol = (address: `0x${string}`) =>
      publicClient.readContract({ ...atFork, address, abi: erc20Abi, functionName: "symbol" });
    expect([await symbol(MAINNET_WBTC_WETH.wbtc), await symbol(MAINNET.weth)]).to.deep.equal([
      "WBTC",
      "WETH",
    ]);

    // One opcode at a time, as init code run by a call: none exists at the pinned block; all do once a block is mined.
    const opcodes = {
      PUSH0: "0x5f00",
      TSTORE: "0x602a60005d00",
      TLOAD: "0x60005c00",
      MCOPY: "0x6000600060005e00",
    };
    const run = (data: string, block: string) =>
      ctx()
        .connection.provider.request({ method: "eth_call", params: [{ data }, block] })
        .catch((e: Error) => e.message);
    await (await viem.getTestClient()).mine({ blocks: 1 });
    for (const [name, data] of Object.entries(opcodes)) {
      expect(await run(data, numberToHex(MAINNET_FORK_BLOCK)), name).to.include("invalid opcode");
      expect(await run(data, "latest"), name).to.equal("0x");
    }
  });

  it("deploys and runs project code that uses PUSH0, TSTORE/TLOAD and MCOPY in the blocks mined after the fork", async function () {
    const { viem } = ctx().connection;
    const publicClient = await viem.getPublicClient();
    const probe = await viem.deployContract("CancunProbe");
    const code = (await publicClient.getCode({ address: probe.address }))!;
    const used = opcodes(code);
    expect({
      PUSH0: used.has(0x5f),
      TLOAD: used.has(0x5c),
      TSTORE: used.has(0x5d),
      MCOPY: used.has(0x5e),
    }).to.deep.equal({
      PUSH0: true,
      TLOAD: true,
      TSTORE: true,
      MCOPY: true,
    });
    const data = stringToHex("rangekeeper");
    for (let i = 0; i < 2; i++) {
      const hash = await probe.write.countTwice([data]);
      const receipt = await publicClient.waitForTransactionReceipt({ hash });
      expect(receipt.blockNumber > MAINNET_FORK_BLOCK).to.equal(true);
      const [counted] = parseEventLogs({ abi: probe.abi, eventName: "Counted", logs: receipt.logs });
      // Transient storage starts from zero in every transaction: 2 each time, never 4.
      expect(counted!.args.callsThisTransaction).to.equal(2n);
      expect(counted!.args.twice).to.equal(`${data}${data.slice(2)}`);
    }
  });

  it("lets a funded account add liquidity to the real pool for exactly what the SDK predicts, and take it back", async function () {
    const { viem } = ctx().connection;
    const publicClient = await viem.getPublicClient();
    const [wallet] = await viem.getWalletClients();
    const owner = wallet!.account.address;
    const callee = await viem.deployContract("PoolCallee");
    for (const token of [MAINNET_WBTC_WETH.wbtc, MAINNET.weth]) {
      const balance = await publicClient.readContract({
        address: token,
        abi: erc20Abi,
        functionName: "balanceOf",
        args: [owner],
      });
      await publicClient.waitForTransactionReceipt({
        hash: await wallet!.writeContract({
          address: token,
          abi: erc20Abi,
          functionName: "transfer",
          args: [callee.address, balance],
        }),
      });
    }
    const pool = { address: MAINNET_WBTC_WETH.pool, abi: uniswapV3PoolAbi } as const;
    const [[sqrtPriceX96, tick], liquidity] = await Promise.all([
      publicClient.readContract({ ...pool, functionName: "slot0" }),
      publicClient.readContract({ ...pool, functionName: "liquidity" }),
    ]);
    const [tickLower, tickUpper] = [Math.floor(tick / 60) * 60 - 600, Math.floor(tick / 60) * 60 + 600];
    const added = 10n ** 15n;
    const position = new Position({
      pool: new Pool(WBTC, WETH, 3000, sqrtPriceX96.toString(), liquidity.toString(), tick),
      tickLower,
      tickUpper,
      liquidity: added.toString(),
    });
    const sdk = position.mintAmounts;

    const minted = await publicClient.waitForTransactionReceipt({
      hash: await callee.write.mint([MAINNET_WBTC_WETH.pool, owner, tickLower, tickUpper, added]),
    });
    const [mint] = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Mint", logs: minted.logs });
    expect([mint!.args.amount0, mint!.args.amount1]).to.deep.equal([
      BigInt(sdk.amount0.toString()),
      BigInt(sdk.amount1.toString()),
    ]);
    expect(await publicClient.readContract({ ...pool, functionName: "liquidity" })).to.equal(
      liquidity + added,
    );

    await publicClient.waitForTransactionReceipt({
      hash: await wallet!.writeContract({
        ...pool,
        functionName: "burn",
        args: [tickLower, tickUpper, added],
      }),
    });
    const collected = await publicClient.waitForTransactionReceipt({
      hash: await wallet!.writeContract({
        ...pool,
        functionName: "collect",
        args: [owner, tickLower, tickUpper, maxUint128, maxUint128],
      }),
    });
    const [collect] = parseEventLogs({ abi: uniswapV3PoolAbi, eventName: "Collect", logs: collected.logs });
    // Burning rounds down where minting rounded up (the SDK's Position amounts versus its mintAmounts).
    expect([collect!.args.amount0, collect!.args.amount1]).to.deep.equal([
      BigInt(position.amount0.quotient.toString()),
      BigInt(position.amount1.quotient.toString()),
    ]);
  });
});
