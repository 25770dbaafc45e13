import type { Address, Hex } from "viem";

/** Version tag of the snapshot file format; readers refuse any other. */
export const MAINNET_SNAPSHOT_FORMAT = "rangekeeper/recorded-mainnet-snapshot@1";

/**
 * One account of a recorded-state snapshot. Every number is JSON-RPC hex, so the file parses with plain
 * JSON.parse and the server answers with the stored strings.
 */
export interface SnapshotAccount {
  /** What the account is and where its code comes from, e.g. "WBTC (8-decimals ERC-20 stand-in)". */
  label: string;
  balance: Hex;
  nonce: Hex;
  code: Hex;
  /** Storage words by 32-byte slot, including words the recording says are zero. Other slots are unrecorded. */
  storage: Record<Hex, Hex>;
  /** Slots whose word holds only the recorded part of the real one (e.g. a tick bitmap word at the edge of the recorded tick range). */
  partialSlots: Hex[];
}

/** The pinned block's header as eth_getBlockByNumber returns it, with no transactions. */
export interface SnapshotBlock {
  number: Hex;
  hash: Hex;
  parentHash: Hex;
  nonce: Hex;
  sha3Uncles: Hex;
  logsBloom: Hex;
  transactionsRoot: Hex;
  stateRoot: Hex;
  receiptsRoot: Hex;
  miner: Address;
  difficulty: Hex;
  totalDifficulty: Hex;
  extraData: Hex;
  size: Hex;
  gasLimit: Hex;
  gasUsed: Hex;
  timestamp: Hex;
  baseFeePerGas: Hex;
  mixHash: Hex;
  transactions: [];
  uncles: [];
}

/**
 * Ethereum state at one block, as far as it was recorded: what the recorded-mainnet JSON-RPC server
 * (serveMainnetSnapshot) answers Hardhat's forking with. Accounts are keyed by lowercase address.
 */
export interface MainnetSnapshot {
  format: typeof MAINNET_SNAPSHOT_FORMAT;
  chainId: number;
  block: SnapshotBlock;
  accounts: Record<Address, SnapshotAccount>;
  /** Where each part came from: recorded, derived (and how), or a stand-in. */
  provenance: string[];
}
