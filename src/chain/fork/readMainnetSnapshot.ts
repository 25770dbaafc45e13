import { readFileSync } from "node:fs";

import { isAddress, isHex } from "viem";

import { MAINNET_SNAPSHOT_FORMAT, type MainnetSnapshot } from "./mainnetSnapshot.js";

export class MainnetSnapshotFileError extends Error {
  constructor(path: string, field: string, expected: string) {
    super(
      `${path}: ${field} must be ${expected} (make the file with \`npx hardhat fork:snapshot --out <file>\`)`,
    );
    this.name = "MainnetSnapshotFileError";
  }
}

const WORD = /^0x[0-9a-f]{64}$/;

/** Reads a snapshot written by `hardhat fork:snapshot`, checking the format tag and the shape of every account. */
export function readMainnetSnapshot(path: string): MainnetSnapshot {
  const fail = (field: string, expected: string): never => {
    throw new MainnetSnapshotFileError(path, field, expected);
  };
  let snapshot: MainnetSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(path, "utf8")) as MainnetSnapshot;
  } catch (error) {
    return fail("the file", `readable JSON (${(error as Error).message})`);
  }
  if (snapshot.format !== MAINNET_SNAPSHOT_FORMAT) fail("format", `"${MAINNET_SNAPSHOT_FORMAT}"`);
  if (!Number.isSafeInteger(snapshot.chainId)) fail("chainId", "an integer");
  for (const field of ["number", "hash", "timestamp", "baseFeePerGas", "gasLimit"] as const) {
    if (!isHex(snapshot.block?.[field])) fail(`block.${field}`, "a hex string");
  }
  if (typeof snapshot.accounts !== "object" || snapshot.accounts === null) fail("accounts", "an object");
  for (const [address, account] of Object.entries(snapshot.accounts)) {
    const at = `accounts["${address}"]`;
    if (!isAddress(address, { strict: false }) || address !== address.toLowerCase())
      fail(at, "keyed by a lowercase address");
    for (const field of ["balance", "nonce", "code"] as const) {
      if (!isHex(account[field])) fail(`${at}.${field}`, "a hex string");
    }
    for (const [slot, value] of Object.entries(account.storage ?? fail(`${at}.storage`, "an object"))) {
      if (!WORD.test(slot) || !WORD.test(value))
        fail(`${at}.storage["${slot}"]`, "a 32-byte lowercase hex word keyed by one");
    }
    if (!Array.isArray(account.partialSlots)) fail(`${at}.partialSlots`, "an array of slots");
  }
  return snapshot;
}
