import { decryptKeystoreJson, isKeystoreJson } from "ethers";
import { privateKeyToAccount, type PrivateKeyAccount } from "viem/accounts";
import type { Hex } from "viem";

export class KeystoreDecryptError extends Error {
  constructor(file: string, reason: string) {
    super(`Cannot unlock the keystore ${file}: ${reason}`);
    this.name = "KeystoreDecryptError";
  }
}

export interface DecryptKeystoreParameters {
  /** The keystore's JSON text (Web3 Secret Storage v3, scrypt or pbkdf2). */
  json: string;
  password: string;
  /** Shown in errors instead of the content. */
  file: string;
}

/** Decrypts an encrypted JSON keystore with ethers (viem has no keystore support) into a viem account. */
export async function decryptKeystore({
  json,
  password,
  file,
}: DecryptKeystoreParameters): Promise<PrivateKeyAccount> {
  if (!isKeystoreJson(json))
    throw new KeystoreDecryptError(file, "it is not an encrypted JSON keystore (version 3)");
  try {
    const { privateKey } = await decryptKeystoreJson(json, password);
    return privateKeyToAccount(privateKey as Hex);
  } catch (error) {
    const message = (error as Error).message;
    // ethers' own messages name the cause without the password; anything else is summarised.
    throw new KeystoreDecryptError(
      file,
      /incorrect password/i.test(message)
        ? "incorrect password; check the password variable or type it again"
        : "the keystore is corrupt or uses an unsupported cipher",
    );
  }
}
