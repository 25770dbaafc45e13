import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { getAddress } from "viem";

import { connectUniswap } from "../chain/connectUniswap.js";
import { serveJsonRpc } from "../chain/serveJsonRpc.js";

interface NodeMirrorArguments {
  port: number;
}

/** `hardhat node:mirror`: the mirror on an in-process chain, served until SIGINT/SIGTERM. */
export default async function nodeMirror({ port }: NodeMirrorArguments, hre: HardhatRuntimeEnvironment) {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`--port must be an integer from 0 to 65535, got ${port}`);
  }
  const { connection, deployment } = await connectUniswap(hre.network, "mirror");
  const server = await serveJsonRpc(connection.provider, { port });
  const chainId = await (await connection.viem.getPublicClient()).getChainId();
  console.log(
    `Uniswap v3 mainnet mirror: JSON-RPC at ${server.url} (chain id ${chainId}); attach with --network localhost`,
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
