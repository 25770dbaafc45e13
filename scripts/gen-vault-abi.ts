// Writes src/chain/vault/abi.ts: the ABIs of the vault contracts from Hardhat's artifacts as `const` literals, so
// keepers and other processes type every call with plain viem. Run after changing contracts/vault/:
//   npm run gen:vault-abi
// test/contracts/vaultAbi.test.ts fails when the file is out of date.
import { writeFileSync } from "node:fs";

import { vaultAbiSource } from "../src/chain/vault/abiSource.js";

writeFileSync(new URL("../src/chain/vault/abi.ts", import.meta.url), await vaultAbiSource());
console.log("wrote src/chain/vault/abi.ts");
