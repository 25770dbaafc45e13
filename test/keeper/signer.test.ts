import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { expect } from "chai";
import { encryptKeystoreJson } from "ethers";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { keccak256, parseTransaction, recoverTransactionAddress } from "viem";

import { KeystoreDecryptError } from "../../src/keeper/signer/decryptKeystore.js";
import { loadSigner, SignerConfigError } from "../../src/keeper/signer/loadSigner.js";

const PASSWORD = "correct horse battery staple";

async function writeKeystore(privateKey: `0x${string}`): Promise<string> {
  const address = privateKeyToAccount(privateKey).address;
  // scrypt N = 2^10 instead of ethers' 2^17: the same format, fast enough for a test.
  const json = await encryptKeystoreJson({ address, privateKey }, PASSWORD, { scrypt: { N: 1 << 10 } });
  const path = join(mkdtempSync(join(tmpdir(), "keeper-keystore-")), "keeper.keystore.json");
  writeFileSync(path, json);
  return path;
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  expect.fail("expected a rejection");
}

describe("keeper signer", function () {
  it("decrypts an encrypted JSON keystore with the password from the environment into an account that signs", async function () {
    const privateKey = generatePrivateKey();
    const path = await writeKeystore(privateKey);
    const account = await loadSigner({
      signer: { type: "keystore", path, passwordEnv: "TEST_KEYSTORE_PASSWORD" },
      chainId: 1,
      env: { TEST_KEYSTORE_PASSWORD: PASSWORD },
      prompt: () => expect.fail("no prompt when the variable is set"),
    });
    expect(account.address).to.equal(privateKeyToAccount(privateKey).address);
    const raw = await account.signTransaction!({
      type: "eip1559",
      chainId: 1,
      to: account.address,
      nonce: 7,
      gas: 21_000n,
      maxFeePerGas: 2n,
      maxPriorityFeePerGas: 1n,
    });
    expect(await recoverTransactionAddress({ serializedTransaction: raw as never })).to.equal(
      account.address,
    );
    expect(parseTransaction(raw).nonce).to.equal(7);
    expect(keccak256(raw)).to.match(/^0x[0-9a-f]{64}$/);
  });

  it("asks for the password when its variable is unset, and refuses a wrong one without echoing it", async function () {
    const path = await writeKeystore(generatePrivateKey());
    let asked = "";
    const account = await loadSigner({
      signer: { type: "keystore", path, passwordEnv: "UNSET_VARIABLE" },
      chainId: 1,
      env: {},
      prompt: async (question, variable) => {
        asked = `${question}|${variable}`;
        return PASSWORD;
      },
    });
    expect(account.address).to.match(/^0x/);
    expect(asked).to.equal(`Password of ${path}: |UNSET_VARIABLE`);

    const wrong = await rejection(
      loadSigner({
        signer: { type: "keystore", path, passwordEnv: "P" },
        chainId: 1,
        env: { P: "hunter2-wrong" },
      }),
    );
    expect(wrong).to.be.instanceOf(KeystoreDecryptError);
    expect(wrong.message).to.include("incorrect password");
    expect(wrong.message).to.not.include("hunter2");
  });

  it("refuses a file that is not a keystore, and a missing file, naming the field", async function () {
    const path = join(mkdtempSync(join(tmpdir(), "keeper-keystore-")), "plain.json");
    writeFileSync(path, JSON.stringify({ privateKey: "0x01" }));
    const notKeystore = await rejection(
      loadSigner({ signer: { type: "keystore", path, passwordEnv: "P" }, chainId: 1, env: { P: "x" } }),
    );
    expect(notKeystore.message).to.include("not an encrypted JSON keystore");
    const missing = await rejection(
      loadSigner({
        signer: { type: "keystore", path: `${path}.nope`, passwordEnv: "P" },
        chainId: 1,
        env: { P: "x" },
      }),
    );
    expect(missing).to.be.instanceOf(SignerConfigError);
    expect(missing.message).to.include("signer.path");
  });

  it("takes a raw key from the environment only with the explicit flag, and never prints it", async function () {
    const privateKey = generatePrivateKey();
    const signer = { type: "env", privateKeyEnv: "TEST_RAW_KEY" } as const;
    const refused = await rejection(loadSigner({ signer, chainId: 1, env: { TEST_RAW_KEY: privateKey } }));
    expect(refused.message).to.include("--allow-raw-key");
    expect(refused.message).to.not.include(privateKey.slice(2));
    const account = await loadSigner({
      signer,
      chainId: 1,
      allowRawKey: true,
      env: { TEST_RAW_KEY: privateKey.slice(2) },
    });
    expect(account.address).to.equal(privateKeyToAccount(privateKey).address);
    const malformed = await rejection(
      loadSigner({ signer, chainId: 1, allowRawKey: true, env: { TEST_RAW_KEY: "0xdeadbeefSECRET" } }),
    );
    expect(malformed.message).to.include("does not hold a 32-byte hex private key");
    expect(malformed.message).to.not.include("SECRET");
  });

  it("gives Hardhat's well-known accounts on a local chain only", async function () {
    const account = await loadSigner({ signer: { type: "hardhat", index: 0 }, chainId: 31337 });
    expect(account.address).to.equal("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");
    const second = await loadSigner({ signer: { type: "hardhat", index: 1 }, chainId: 31337 });
    expect(second.address).to.equal("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    const mainnet = await rejection(loadSigner({ signer: { type: "hardhat", index: 0 }, chainId: 1 }));
    expect(mainnet.message).to.include("only on a local chain");
  });
});
