import type { NetworkConnection } from "hardhat/types/network";
import { network } from "hardhat";

import { connectUniswap } from "../../src/chain/connectUniswap.js";
import { serveJsonRpc, type JsonRpcServer } from "../../src/chain/serveJsonRpc.js";
import type { UniswapDeployment } from "../../src/chain/uniswap.js";

export interface ServedMirror {
  connection: NetworkConnection;
  deployment: UniswapDeployment;
  /** The mirror's JSON-RPC endpoint on 127.0.0.1, for clients that attach the way a keeper does. */
  url: string;
  server: JsonRpcServer;
  /** JSON-RPC methods the endpoint answered, in order. */
  methods: string[];
  close(): Promise<void>;
}

/** A fresh mirror on the in-process chain, also served over HTTP on 127.0.0.1 (as `hardhat node:mirror` does). */
export async function serveMirror(): Promise<ServedMirror> {
  const { connection, deployment } = await connectUniswap(network, "mirror");
  const methods: string[] = [];
  const server = await serveJsonRpc(connection.provider, { onRequest: (method) => methods.push(method) });
  return {
    connection,
    deployment,
    url: server.url,
    server,
    methods,
    close: async () => {
      await server.close();
      await connection.close();
    },
  };
}
