import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { readMainnetSnapshot } from "../chain/fork/readMainnetSnapshot.js";
import { recordedMainnetSnapshot } from "../chain/fork/recordedMainnetSnapshot.js";
import { serveMainnetSnapshot } from "../chain/fork/serveMainnetSnapshot.js";

interface ForkServeArguments {
  snapshot: string;
  port: number;
}

/**
 * `hardhat fork:serve [--snapshot <file>] [--port <n>]`: serves a recorded mainnet snapshot (a file from
 * fork:snapshot, or built from the shared data) as an Ethereum JSON-RPC endpoint on 127.0.0.1 until
 * SIGINT/SIGTERM, for anything that forks mainnet from a URL.
 */
export default async function forkServe(
  { snapshot, port }: ForkServeArguments,
  hre: HardhatRuntimeEnvironment,
) {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`--port must be an integer from 0 to 65535, got ${port}`);
  }
  const state = snapshot === "" ? await recordedMainnetSnapshot(hre.network) : readMainnetSnapshot(snapshot);
  const server = await serveMainnetSnapshot(state, { port });
  console.log(
    `Recorded mainnet at block ${server.block}: JSON-RPC at ${server.url} (chain id ${state.chainId}); ` +
      `fork it at block ${server.block}`,
  );
  for (const [address, account] of Object.entries(state.accounts))
    console.log(`  ${address}  ${account.label}`);
  console.log("Ctrl-C to stop.");

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  const { requests, unrecorded } = server.counts();
  const served = Object.values(requests).reduce((a, b) => a + b, 0);
  const missed = Object.values(unrecorded).reduce(
    (n, bySubject) => n + Object.values(bySubject).reduce((a, b) => a + b, 0),
    0,
  );
  console.log(`stopped after ${served} requests, ${missed} of them reads the recording does not hold`);
}
