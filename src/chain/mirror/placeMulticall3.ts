import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { Hex } from "viem";

import { MAINNET } from "../addresses.js";

const require = createRequire(import.meta.url);

/**
 * Multicall3's creation code as viem ships it for its deployless multicall. viem's package exports do not
 * expose the constants module, so it is loaded by its file path inside the pinned viem package.
 */
export function multicall3CreationCode(): Hex {
  const constants = join(dirname(require.resolve("viem")), "constants", "contracts.js");
  return (require(constants) as { multicall3Bytecode: Hex }).multicall3Bytecode;
}

/**
 * Puts Multicall3 at its canonical address. Its code has no immutables, so the runtime code (what an
 * `eth_call` of the creation code returns) placed with `hardhat_setCode` behaves exactly like a CREATE2
 * deployment there. No transaction is sent: no account's nonce moves.
 */
export async function placeMulticall3(viem: HardhatViemHelpers): Promise<void> {
  const publicClient = await viem.getPublicClient();
  const { data: runtime } = await publicClient.call({ data: multicall3CreationCode() });
  if (runtime === undefined || runtime.length < 4)
    throw new Error("Multicall3's creation code returned no runtime code");
  await (await viem.getTestClient()).setCode({ address: MAINNET.multicall3, bytecode: runtime });
}
