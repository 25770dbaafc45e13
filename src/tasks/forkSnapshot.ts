import { renameSync, writeFileSync } from "node:fs";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { recordedMainnetSnapshot } from "../chain/fork/recordedMainnetSnapshot.js";

interface ForkSnapshotArguments {
  out: string;
}

/** `hardhat fork:snapshot --out <file>`: builds the recorded mainnet snapshot from the shared data and writes it. */
export default async function forkSnapshot({ out }: ForkSnapshotArguments, hre: HardhatRuntimeEnvironment) {
  if (out === "") throw new Error("--out is required: the file to write the snapshot to");
  const snapshot = await recordedMainnetSnapshot(hre.network);
  // Written beside the target and renamed, so a failed write never leaves half a snapshot behind.
  const partial = `${out}.partial`;
  writeFileSync(partial, `${JSON.stringify(snapshot, null, 1)}\n`);
  renameSync(partial, out);
  const words = Object.values(snapshot.accounts).reduce((n, a) => n + Object.keys(a.storage).length, 0);
  console.log(
    `Recorded mainnet snapshot at block ${BigInt(snapshot.block.number)}: ${Object.keys(snapshot.accounts).length} ` +
      `accounts, ${words} storage words, written to ${out}`,
  );
  for (const [address, account] of Object.entries(snapshot.accounts))
    console.log(`  ${address}  ${account.label}`);
  for (const line of snapshot.provenance) console.log(`  - ${line}`);
}
