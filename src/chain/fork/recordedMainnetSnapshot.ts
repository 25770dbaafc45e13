import type { NetworkManager } from "hardhat/types/network";

import { sharedDataFile } from "../../data/sharedDataFile.js";
import { buildWbtcWethSnapshot } from "./buildWbtcWethSnapshot.js";
import type { MainnetSnapshot } from "./mainnetSnapshot.js";

/** The recorded data the snapshot is built from, in the shared data folder. */
export const RECORDED_STATE_FOLDER = "mainnet-wbtc-weth-03-state-replay";
export const RECORDED_STATE_FILE = "pool_state_block16944668.json";
export const RECORDED_EVENTS_FILE = "events_16944669_16951788.json";

const built = new Map<string, Promise<MainnetSnapshot>>();

/**
 * The WBTC/WETH snapshot of mainnet at block 16,944,668, built from the shared data folder (sharedDataFile)
 * once per process and data folder (about three seconds) and reused by every later fork connection.
 */
export async function recordedMainnetSnapshot(network: NetworkManager): Promise<MainnetSnapshot> {
  const stateFile = sharedDataFile(RECORDED_STATE_FOLDER, RECORDED_STATE_FILE);
  const eventsFile = sharedDataFile(RECORDED_STATE_FOLDER, RECORDED_EVENTS_FILE);
  let snapshot = built.get(stateFile);
  if (snapshot === undefined) {
    snapshot = buildWbtcWethSnapshot(network, { stateFile, eventsFile });
    built.set(stateFile, snapshot);
    snapshot.catch(() => built.delete(stateFile));
  }
  return snapshot;
}
