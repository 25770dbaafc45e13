import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { getAddress } from "viem";

import { connectUniswap } from "../chain/connectUniswap.js";
import { serveJsonRpc } from "../chain/serveJsonRpc.js";
import { buildContracts } from "./buildContracts.js";

interface NodeMirrorArguments {
  port: number;
  blockTime: number;
}

/** `hardhat node:mirror`: the mirror on an in-process chain, served until SIGINT/SIGTERM. */
export default async function nodeMirror(
  { port, blockTime }: NodeMirrorArguments,
  hre: HardhatRuntimeEnvironment,
) {
  await buildContracts(hre);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`--port must be an integer from 0 to 65535, got ${port}`);
  }
  if (!Number.isInteger(blockTime) || blockTime < 0)
    throw new RangeError(
      `--block-time must be a whole number of seconds (0: only when a transaction arrives), got ${blockTime}`,
    );
  const { connection, deployment } = await connectUniswap(hre.network, "mirror");
  // A block every few seconds as on a real chain, so confirmations accrue without traffic (transactions are still
  // mined at once).
  if (blockTime > 0)
    await connection.provider.request({ method: "evm_setIntervalMining", params: [blockTime * 1000] });
  const server = await serveJsonRpc(connection.provider, { port });
  const chainId = await (await connection.viem.getPublicClient()).getChainId();
  console.log(
    `Uniswap v3 mainnet mirror: JSON-RPC at ${server.url} (chain id ${chainId}); attach with --network localhost${blockTime > 0 ? `; a block every ${blockTime} s` : ""}`,
  );
  for (const [name, address] of Object.entries({ ...deployment, ...deployment.pools })) {
    if (typeof address === "string" && address.startsWith("0x"))
      console.log(`  ${name.padEnd(16)} ${address}`);
  }
  const accounts = (await connection.viem.getWalletClients()).map((w) => getAddress(w.account.address));
  console.log(
    `  ${accounts.length} unlocked accounts, each with 10,000,000 USDC and 1,000 WETH, first ${accounts[0]}`,
  );
  console.log("Ctrl-C to stop.");

  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  await server.close();
  await connection.close();
  console.log("stopped");
}
