import { expect } from "chai";
import { getContractAddress } from "viem";

import { MAINNET, UNISWAP_DEPLOYER_NONCES } from "../../src/chain/addresses.js";

describe("mainnet addresses", function () {
  it("derives every Uniswap contract's address from the real deployer and its recorded nonce", function () {
    for (const [name, nonce] of Object.entries(UNISWAP_DEPLOYER_NONCES)) {
      const derived = getContractAddress({ from: MAINNET.uniswapDeployer, nonce: BigInt(nonce) });
      expect(derived, name).to.equal(MAINNET[name as keyof typeof UNISWAP_DEPLOYER_NONCES]);
    }
  });
});
