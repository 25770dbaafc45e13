import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

/**
 * Compiles `contracts/` (quietly, a no-op when nothing changed) before a task deploys from the artifacts: unlike
 * `hardhat run` and `hardhat test`, a task of our own does not build first, and a fresh clone has no artifacts.
 */
export async function buildContracts(hre: HardhatRuntimeEnvironment): Promise<void> {
  await hre.tasks.getTask("build").run({ quiet: true, noTests: true });
}
