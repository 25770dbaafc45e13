import { numberToHex, pad, type Address, type Hex } from "viem";

import type { JsonRpcBackend } from "../serveJsonRpc.js";
import type { MainnetSnapshot, SnapshotAccount } from "./mainnetSnapshot.js";

/**
 * Reads the recording could not answer: the backend answered them as an empty account, a zero slot, no block
 * or no logs, which may differ from mainnet. By method, then by subject (the address read, or a block).
 */
export type UnrecordedReads = Record<string, Record<string, number>>;

export interface SnapshotJsonRpcBackend extends JsonRpcBackend {
  /** A copy of the unrecorded reads so far. */
  unrecordedReads(): UnrecordedReads;
}

export class SnapshotRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = "SnapshotRpcError";
  }
}

const ZERO_WORD = pad("0x0", { size: 32 });
const PINNED_TAGS = new Set(["latest", "safe", "finalized", "pending"]);

/**
 * An EIP-1193 backend that answers Ethereum mainnet JSON-RPC reads from a recorded snapshot at one block: what
 * Hardhat's forking asks (chain id, block number, the pinned block, code, balance, nonce, storage) and the
 * lookups a fork forwards for pre-fork history (blocks, transactions, logs), which it answers as absent.
 * Anything outside the recording is answered as the empty account or a zero slot and counted.
 */
export function snapshotJsonRpcBackend(snapshot: MainnetSnapshot): SnapshotJsonRpcBackend {
  const unrecorded: UnrecordedReads = {};
  const miss = (method: string, subject: string) => {
    const bySubject = (unrecorded[method] ??= {});
    bySubject[subject] = (bySubject[subject] ?? 0) + 1;
  };
  const pinned = BigInt(snapshot.block.number);
  const isPinned = (block: unknown) =>
    block === snapshot.block.hash ||
    (typeof block === "string" &&
      (PINNED_TAGS.has(block) || (/^0x[0-9a-fA-F]{1,16}$/.test(block) && BigInt(block) === pinned)));
  const checkBlock = (method: string, tag: unknown) => {
    const block =
      typeof tag === "object" && tag !== null
        ? ((tag as { blockNumber?: unknown }).blockNumber ?? (tag as { blockHash?: unknown }).blockHash)
        : tag;
    if (isPinned(block)) return;
    throw new SnapshotRpcError(
      -32000,
      `${method}: state at block ${String(block)} is not recorded; this snapshot holds block ${pinned} only`,
    );
  };
  const accountAt = (method: string, params: unknown[]): [Address, SnapshotAccount | undefined] => {
    const address = params[0];
    if (typeof address !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(address)) {
      throw new SnapshotRpcError(-32602, `${method}: params[0] must be an address, got ${String(address)}`);
    }
    const lower = address.toLowerCase() as Address;
    return [lower, snapshot.accounts[lower]];
  };
  const accountField = (
    method: string,
    params: unknown[],
    field: "balance" | "nonce" | "code",
    empty: Hex,
  ) => {
    checkBlock(method, params[1]);
    const [address, account] = accountAt(method, params);
    if (account === undefined) miss(method, address);
    return account?.[field] ?? empty;
  };

  const handlers: Record<string, (params: unknown[]) => unknown> = {
    eth_chainId: () => numberToHex(snapshot.chainId),
    net_version: () => String(snapshot.chainId),
    web3_clientVersion: () => `rangekeeper-recorded-mainnet/${snapshot.format} block ${pinned}`,
    // The pinned block is reported as the chain head, so Hardhat never deems it final and keeps none of these
    // answers in its disk cache (cache/edr-fork-cache/<host_port>), where a later run that got the same port
    // would read an older snapshot's state without asking. The price: it asks again for every read.
    eth_blockNumber: () => snapshot.block.number,
    eth_getBlockByNumber: ([tag]) => {
      if (tag !== snapshot.block.hash && isPinned(tag)) return snapshot.block;
      miss("eth_getBlockByNumber", `block ${String(tag)}`);
      return null;
    },
    eth_getBlockByHash: ([hash]) => {
      if (hash === snapshot.block.hash) return snapshot.block;
      miss("eth_getBlockByHash", `block ${String(hash)}`);
      return null;
    },
    eth_getBalance: (params) => accountField("eth_getBalance", params, "balance", "0x0"),
    eth_getTransactionCount: (params) => accountField("eth_getTransactionCount", params, "nonce", "0x0"),
    eth_getCode: (params) => accountField("eth_getCode", params, "code", "0x"),
    eth_getStorageAt: (params) => {
      checkBlock("eth_getStorageAt", params[2]);
      const [address, account] = accountAt("eth_getStorageAt", params);
      const slot = params[1];
      if (typeof slot !== "string" || !/^0x[0-9a-fA-F]{1,64}$/.test(slot)) {
        throw new SnapshotRpcError(-32602, `eth_getStorageAt: params[1] must be a slot, got ${String(slot)}`);
      }
      const key = pad(numberToHex(BigInt(slot)), { size: 32 });
      const value = account?.storage[key];
      if (value === undefined || account!.partialSlots.includes(key)) miss("eth_getStorageAt", address);
      return value ?? ZERO_WORD;
    },
    // A fork asks for the fee history of its pre-fork blocks. Only the pinned block is recorded, and a reply
    // with fewer blocks than asked gets merged wrongly into the local history, so longer histories are refused.
    eth_feeHistory: ([count, newest, percentiles]) => {
      checkBlock("eth_feeHistory", newest);
      if (typeof count !== "string" || BigInt(count) !== 1n) {
        miss("eth_feeHistory", `blocks before ${pinned}`);
        throw new SnapshotRpcError(-32000, `eth_feeHistory: blocks before ${pinned} are not recorded`);
      }
      const baseFee = BigInt(snapshot.block.baseFeePerGas);
      const [limit, used] = [BigInt(snapshot.block.gasLimit), BigInt(snapshot.block.gasUsed)];
      // EIP-1559: the next base fee moves by (used - target) / target / 8 of this one.
      const next = baseFee + (baseFee * (used - limit / 2n)) / (limit / 2n) / 8n;
      return {
        oldestBlock: snapshot.block.number,
        baseFeePerGas: [snapshot.block.baseFeePerGas, numberToHex(next)],
        gasUsedRatio: [Number(used) / Number(limit)],
        // The pinned block's transactions are not recorded (its header lists none): every reward is zero.
        ...(Array.isArray(percentiles) ? { reward: [percentiles.map(() => "0x0")] } : {}),
      };
    },
    eth_getLogs: ([filter]) => {
      const address = (filter as { address?: unknown } | undefined)?.address;
      miss("eth_getLogs", typeof address === "string" ? address.toLowerCase() : "any address");
      return [];
    },
    eth_getTransactionByHash: ([hash]) => {
      miss("eth_getTransactionByHash", `transaction ${String(hash)}`);
      return null;
    },
    eth_getTransactionReceipt: ([hash]) => {
      miss("eth_getTransactionReceipt", `transaction ${String(hash)}`);
      return null;
    },
  };

  return {
    async request({ method, params = [] }) {
      const handle = handlers[method];
      if (handle === undefined) {
        throw new SnapshotRpcError(
          -32601,
          `${method} is not served by the recorded-mainnet snapshot server (it answers ${Object.keys(handlers).join(", ")})`,
        );
      }
      return handle(params);
    },
    unrecordedReads: () => structuredClone(unrecorded),
  };
}
