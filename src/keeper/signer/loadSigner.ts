import { readFile } from "node:fs/promises";

import { isHex, type Hex } from "viem";
import { mnemonicToAccount, privateKeyToAccount, type LocalAccount } from "viem/accounts";

import type { SignerConfig } from "../config/schema.js";
import { decryptKeystore } from "./decryptKeystore.js";
import { promptPassword } from "./promptPassword.js";

/** Hardhat's simulated-network mnemonic: its accounts are public knowledge, usable on local chains only. */
export const HARDHAT_MNEMONIC = "test test test test test test test test test test test junk";
export const LOCAL_CHAIN_ID = 31337;

export class SignerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SignerConfigError";
  }
}

export interface LoadSignerParameters {
  signer: SignerConfig;
  /** The chain the keeper is attached to (as reported by the RPC, not as configured). */
  chainId: number;
  /** Set only by an explicit --allow-raw-key: a raw key in the environment is otherwise refused. */
  allowRawKey?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Asked when the keystore's password variable is unset. */
  prompt?: (question: string, variable: string) => Promise<string>;
}

/**
 * The keeper's signing account from the config's signer section: an encrypted keystore (password from an
 * environment variable, else a terminal prompt), a raw key from an environment variable (only with
 * allowRawKey), or one of Hardhat's well-known accounts (local chains only). Always a local account, so
 * transactions are signed here and their hash is known before they are broadcast.
 */
export async function loadSigner({
  signer,
  chainId,
  allowRawKey = false,
  env = process.env,
  prompt = promptPassword,
}: LoadSignerParameters): Promise<LocalAccount> {
  switch (signer.type) {
    case "keystore": {
      let json: string;
      try {
        json = await readFile(signer.path, "utf8");
      } catch {
        throw new SignerConfigError(`signer.path: cannot read the keystore file ${signer.path}`);
      }
      const password =
        env[signer.passwordEnv] ?? (await prompt(`Password of ${signer.path}: `, signer.passwordEnv));
      return decryptKeystore({ json, password, file: signer.path });
    }
    case "env": {
      if (!allowRawKey) {
        throw new SignerConfigError(
          `signer.type "env" reads a raw private key from ${signer.privateKeyEnv}; pass --allow-raw-key to accept that risk, or use an encrypted keystore`,
        );
      }
      const key = env[signer.privateKeyEnv]?.trim();
      if (key === undefined || key === "")
        throw new SignerConfigError(`signer.privateKeyEnv: the variable ${signer.privateKeyEnv} is not set`);
      const hex = key.startsWith("0x") ? key : `0x${key}`;
      if (!isHex(hex) || hex.length !== 66) {
        throw new SignerConfigError(
          `signer.privateKeyEnv: ${signer.privateKeyEnv} does not hold a 32-byte hex private key`,
        );
      }
      return privateKeyToAccount(hex as Hex);
    }
    case "hardhat": {
      if (chainId !== LOCAL_CHAIN_ID) {
        throw new SignerConfigError(
          `signer.type "hardhat" uses publicly known keys: only on a local chain (id ${LOCAL_CHAIN_ID}), this one is ${chainId}`,
        );
      }
      return mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: signer.index });
    }
  }
}
