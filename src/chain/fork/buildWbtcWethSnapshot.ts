import { basename } from "node:path";

import type { NetworkManager } from "hardhat/types/network";
import {
  encodePacked,
  keccak256,
  numberToHex,
  pad,
  parseGwei,
  toRlp,
  zeroAddress,
  zeroHash,
  type Address,
  type Hex,
} from "viem";

import { readPoolEventsFile, readPoolStateFile, type PoolStateFile } from "../../data/poolStateFile.js";
import { MAINNET, MAINNET_WBTC_WETH } from "../addresses.js";
import { compileSnapshotContracts } from "./compileSnapshotContracts.js";
import { deployedRuntimeCode } from "./deployedRuntimeCode.js";
import {
  MAINNET_SNAPSHOT_FORMAT,
  type MainnetSnapshot,
  type SnapshotAccount,
  type SnapshotBlock,
} from "./mainnetSnapshot.js";
import { StorageImage } from "./storageLayout.js";

export class RecordedStateMismatchError extends Error {
  constructor(path: string, field: string, expected: string, got: unknown) {
    super(`${path}: ${field} is ${String(got)}, expected ${expected} for the WBTC/WETH 0.3 % snapshot`);
    this.name = "RecordedStateMismatchError";
  }
}

export interface BuildWbtcWethSnapshotParameters {
  /** `pool_state_block16944668.json`: the pool at the block the snapshot pins. */
  stateFile: string;
  /** The events file that follows it: its first records date the pinned block (see the timestamp note). */
  eventsFile: string;
}

/** Fee tiers enabled on mainnet's factory at the pinned block (100 since governance added it in Nov 2021). */
const FEE_TIERS = { 100: 1, 500: 10, 3000: 60, 10000: 200 } as const;
/** Post-merge blocks carry the terminal total difficulty. */
const MAINNET_TERMINAL_TOTAL_DIFFICULTY = 58_750_003_716_598_352_816_469n;
const SECONDS_PER_SLOT = 12n;
/** Not recorded: below every gas price paid by the recorded transactions of the next blocks (20.6 gwei and up). */
const BASE_FEE = parseGwei("20");
const EMPTY_TRIE_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
const EMPTY_UNCLES_HASH = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

/**
 * Builds the recorded mainnet snapshot at the block of `stateFile`: the real WBTC/WETH 0.3 % pool (real runtime
 * code and the recorded storage), the real factory with this pool registered, WETH9, and an 8-decimals ERC-20
 * stand-in at WBTC's address, each token holding the pool's recorded balance. Storage slots and packing come
 * from solc's storage layouts (compileSnapshotContracts); code from the contracts' own constructors
 * (deployedRuntimeCode). `provenance` in the result says which values are recorded, derived or stand-ins.
 */
export async function buildWbtcWethSnapshot(
  network: NetworkManager,
  { stateFile, eventsFile }: BuildWbtcWethSnapshotParameters,
): Promise<MainnetSnapshot> {
  const state = readPoolStateFile(stateFile);
  const { balance0, balance1 } = checkIsWbtcWeth(state);
  const next = readPoolEventsFile(eventsFile).events.find((e) => e.blockNumber > state.block);
  if (next === undefined)
    throw new RecordedStateMismatchError(eventsFile, "data", `events after block ${state.block}`, "none");
  // Post-merge slots are 12 s apart and a missed slot only widens the gap, so this is the latest the pinned
  // block can be; it is exact unless a slot between it and the next recorded event was missed.
  const timestamp = BigInt(next.timestamp) - SECONDS_PER_SLOT * (next.blockNumber - state.block);
  const lastObservation = state.observations[state.slot0.observationIndex]!;
  if (timestamp < BigInt(lastObservation.blockTimestamp)) {
    throw new RecordedStateMismatchError(
      eventsFile,
      "the first event's time",
      "after the last observation",
      timestamp,
    );
  }

  const { layouts } = compileSnapshotContracts();
  const code = await deployedRuntimeCode(network);
  const pool = poolStorage(state, new StorageImage(layouts.uniswapV3Pool, "UniswapV3Pool"));

  const factory = new StorageImage(layouts.uniswapV3Factory, "UniswapV3Factory");
  factory.setStruct(factory.variable("parameters"), {
    factory: 0n,
    token0: 0n,
    token1: 0n,
    fee: 0n,
    tickSpacing: 0n,
  });
  factory.set(factory.variable("owner"), MAINNET_WBTC_WETH.factoryOwner);
  for (const [fee, spacing] of Object.entries(FEE_TIERS)) {
    factory.set(factory.mappingEntry(factory.variable("feeAmountTickSpacing"), BigInt(fee)), BigInt(spacing));
  }
  for (const [a, b] of [
    [state.token0, state.token1],
    [state.token1, state.token0],
  ]) {
    const byToken = factory.mappingEntry(factory.mappingEntry(factory.variable("getPool"), a!), b!);
    factory.set(factory.mappingEntry(byToken, BigInt(state.fee)), state.poolAddress);
  }

  const weth = new StorageImage(layouts.weth9, "WETH9");
  weth.setShortString(weth.variable("name"), "Wrapped Ether");
  weth.setShortString(weth.variable("symbol"), "WETH");
  weth.set(weth.variable("decimals"), 18n);
  weth.set(weth.mappingEntry(weth.variable("balanceOf"), state.poolAddress), balance1);

  const wbtc = new StorageImage(layouts.mirrorToken, "MirrorToken");
  wbtc.setShortString(wbtc.variable("_name"), "Wrapped BTC (stand-in)");
  wbtc.setShortString(wbtc.variable("_symbol"), "WBTC");
  wbtc.set(wbtc.variable("_totalSupply"), balance0);
  wbtc.set(wbtc.mappingEntry(wbtc.variable("_balances"), state.poolAddress), balance0);

  const accounts: MainnetSnapshot["accounts"] = {};
  const place = (
    address: Address,
    label: string,
    runtime: Hex,
    image: StorageImage,
    balance = 0n,
    partial: bigint[] = [],
  ) => {
    accounts[address.toLowerCase() as Address] = account(label, runtime, image, balance, partial);
  };
  place(
    state.poolAddress,
    "UniswapV3Pool WBTC/WETH 0.3 % (recorded state)",
    code.wbtcWethPool,
    pool.image,
    0n,
    pool.partialSlots,
  );
  place(
    MAINNET.factory,
    "UniswapV3Factory (npm v3-core code; this pool registered)",
    code.uniswapV3Factory,
    factory,
  );
  place(
    MAINNET.weth,
    "WETH9 (canonical-weth code; holds the pool's recorded WETH)",
    code.weth9,
    weth,
    balance1,
  );
  place(
    MAINNET_WBTC_WETH.wbtc,
    "WBTC (8-decimals ERC-20 stand-in: MirrorToken built for Paris, anyone may mint)",
    code.wbtcStandIn,
    wbtc,
  );

  return {
    format: MAINNET_SNAPSHOT_FORMAT,
    chainId: 1,
    block: blockHeader(state.block, timestamp),
    accounts,
    provenance: [
      `Recorded: the WBTC/WETH pool's slot0, fee growth, protocol fees, liquidity, ${state.ticks.size} ticks ` +
        `(${firstKey(state.ticks)}..${lastKey(state.ticks)}, every spacing), ${state.positions.length} positions, ` +
        `${state.observations.length} observations and its two token balances, from ${basename(stateFile)}.`,
      "Derived: tick bitmap words from the recorded initialised ticks; the two words at the edges of the recorded " +
        "tick range are partial (reads of them count as unrecorded).",
      "Not recorded: slot0.observationCardinalityNext is set to observationCardinality; slot0.feeProtocol is 0 " +
        `(the file's ${state.slot0.feeProtocol} is not a valid setting, and the recorded protocol fees are 0).`,
      `Derived: the block timestamp, ${timestamp}, is the next recorded event's time minus 12 s per block, the ` +
        "latest it can be (exact if no slot was missed). Not recorded: parent hash, state root, miner, mix hash; " +
        `base fee set to ${BASE_FEE} wei; the block hash is the hash of this header.`,
      "Code: the factory and pool runtime code is what the npm v3-core artifacts' constructors produce for the " +
        "real addresses and parameters; WETH9's is canonical-weth's.",
      "Stand-in: WBTC is contracts/mirror/MirrorToken.sol compiled for Paris (8 decimals, anyone may mint), not " +
        "the real WBTC contract; its total supply is only the pool's balance.",
      "Chain facts not in the data: the factory owner (the Uniswap Timelock) and fee tiers 100/500/3000/10000. " +
        "WETH9's ether balance equals the pool's WETH (mainnet's WETH9 held far more). Contract nonces are 1.",
    ],
  };
}

function checkIsWbtcWeth(state: PoolStateFile): { balance0: bigint; balance1: bigint } {
  const expect = (field: string, got: unknown, wanted: unknown) => {
    if (got !== wanted) throw new RecordedStateMismatchError(state.path, field, String(wanted), got);
  };
  expect("poolAddress", state.poolAddress, MAINNET_WBTC_WETH.pool);
  expect("data.token0", state.token0, MAINNET_WBTC_WETH.wbtc);
  expect("data.token1", state.token1, MAINNET.weth);
  expect("data.fee", state.fee, MAINNET_WBTC_WETH.fee);
  expect("data.tickSpacing", state.tickSpacing, MAINNET_WBTC_WETH.tickSpacing);
  if (state.balance0 === undefined || state.balance1 === undefined) {
    throw new RecordedStateMismatchError(
      state.path,
      "data.balance0/balance1",
      "the pool's recorded balances",
      "missing",
    );
  }
  return { balance0: state.balance0, balance1: state.balance1 };
}

/** The pool's storage image, and the bitmap words only partly covered by the recorded ticks. */
function poolStorage(
  state: PoolStateFile,
  image: StorageImage,
): { image: StorageImage; partialSlots: bigint[] } {
  image.setStruct(image.variable("slot0"), {
    sqrtPriceX96: state.slot0.sqrtPriceX96,
    tick: BigInt(state.slot0.tick),
    observationIndex: BigInt(state.slot0.observationIndex),
    observationCardinality: BigInt(state.slot0.observationCardinality),
    observationCardinalityNext: BigInt(state.slot0.observationCardinality),
    feeProtocol: 0n,
    unlocked: true,
  });
  image.set(image.variable("feeGrowthGlobal0X128"), state.feeGrowthGlobal0X128);
  image.set(image.variable("feeGrowthGlobal1X128"), state.feeGrowthGlobal1X128);
  image.setStruct(image.variable("protocolFees"), state.protocolFees);
  image.set(image.variable("liquidity"), state.liquidity);

  const spacing = state.tickSpacing;
  const [first, last] = [firstKey(state.ticks), lastKey(state.ticks)];
  if ((last - first) / spacing + 1 !== state.ticks.size) {
    throw new RecordedStateMismatchError(
      state.path,
      "data.ticks",
      "every tick spacing of one range",
      `${state.ticks.size} ticks over ${first}..${last}`,
    );
  }
  const words = new Map<number, bigint>();
  const [firstWord, lastWord] = [(first / spacing) >> 8, (last / spacing) >> 8];
  for (let word = firstWord; word <= lastWord; word++) words.set(word, 0n);
  for (const [tick, info] of state.ticks) {
    if (info.initialized !== info.liquidityGross > 0n) {
      throw new RecordedStateMismatchError(
        state.path,
        `data.ticks["${tick}"].initialized`,
        "liquidityGross > 0",
        info.initialized,
      );
    }
    image.setStruct(image.mappingEntry(image.variable("ticks"), BigInt(tick)), {
      ...info,
      secondsOutside: BigInt(info.secondsOutside),
    });
    if (info.initialized) {
      const compressed = tick / spacing;
      words.set(compressed >> 8, words.get(compressed >> 8)! | (1n << BigInt(compressed & 255)));
    }
  }
  const partialSlots: bigint[] = [];
  for (const [word, bits] of words) {
    const at = image.mappingEntry(image.variable("tickBitmap"), BigInt(word));
    image.set(at, bits);
    if (word * 256 < first / spacing || word * 256 + 255 > last / spacing) partialSlots.push(at.slot);
  }

  for (const p of state.positions) {
    const key = keccak256(encodePacked(["address", "int24", "int24"], [p.owner, p.tickLower, p.tickUpper]));
    const { liquidity, feeGrowthInside0LastX128, feeGrowthInside1LastX128, tokensOwed0, tokensOwed1 } = p;
    image.setStruct(image.mappingEntry(image.variable("positions"), key), {
      liquidity,
      feeGrowthInside0LastX128,
      feeGrowthInside1LastX128,
      tokensOwed0,
      tokensOwed1,
    });
  }
  if (state.observations.length !== state.slot0.observationCardinality) {
    throw new RecordedStateMismatchError(
      state.path,
      "data.observations",
      `${state.slot0.observationCardinality} entries`,
      state.observations.length,
    );
  }
  state.observations.forEach((o, i) =>
    image.setStruct(image.arrayElement(image.variable("observations"), i), {
      ...o,
      blockTimestamp: BigInt(o.blockTimestamp),
    }),
  );
  return { image, partialSlots };
}

function account(
  label: string,
  code: Hex,
  image: StorageImage,
  balance: bigint,
  partial: bigint[],
): SnapshotAccount {
  const word = (n: bigint) => pad(numberToHex(n), { size: 32 });
  return {
    label,
    balance: numberToHex(balance),
    nonce: "0x1",
    code,
    storage: Object.fromEntries(
      [...image.words].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([s, v]) => [word(s), word(v)]),
    ),
    partialSlots: partial.map(word),
  };
}

/** A post-merge, pre-Shanghai header (no withdrawals) whose hash is keccak256 of its RLP, as a real block's is. */
function blockHeader(number: bigint, timestamp: bigint): SnapshotBlock {
  const q = (n: bigint): Hex =>
    n === 0n ? "0x" : numberToHex(n, { size: Math.ceil(n.toString(16).length / 2) });
  const fields = {
    parentHash: zeroHash,
    sha3Uncles: EMPTY_UNCLES_HASH,
    miner: zeroAddress,
    stateRoot: zeroHash,
    transactionsRoot: EMPTY_TRIE_ROOT,
    receiptsRoot: EMPTY_TRIE_ROOT,
    logsBloom: pad("0x", { size: 256 }),
    difficulty: 0n,
    number,
    gasLimit: 30_000_000n,
    gasUsed: 0n,
    timestamp,
    extraData: "0x",
    mixHash: zeroHash,
    nonce: pad("0x", { size: 8 }),
    baseFeePerGas: BASE_FEE,
  } as const;
  const header = Object.values(fields).map((v) => (typeof v === "bigint" ? q(v) : v));
  const hex = (n: bigint) => numberToHex(n);
  return {
    number: hex(number),
    hash: keccak256(toRlp(header)),
    parentHash: fields.parentHash,
    nonce: fields.nonce,
    sha3Uncles: fields.sha3Uncles,
    logsBloom: fields.logsBloom,
    transactionsRoot: fields.transactionsRoot,
    stateRoot: fields.stateRoot,
    receiptsRoot: fields.receiptsRoot,
    miner: fields.miner,
    difficulty: "0x0",
    totalDifficulty: hex(MAINNET_TERMINAL_TOTAL_DIFFICULTY),
    extraData: fields.extraData,
    size: hex(BigInt((toRlp([header, [], []]).length - 2) / 2)),
    gasLimit: hex(fields.gasLimit),
    gasUsed: "0x0",
    timestamp: hex(timestamp),
    baseFeePerGas: hex(BASE_FEE),
    mixHash: fields.mixHash,
    transactions: [],
    uncles: [],
  };
}

function firstKey(map: Map<number, unknown>): number {
  return Math.min(...map.keys());
}

function lastKey(map: Map<number, unknown>): number {
  return Math.max(...map.keys());
}
