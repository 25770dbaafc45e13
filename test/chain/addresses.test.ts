import { Token } from "@uniswap/sdk-core";
import { computePoolAddress } from "@uniswap/v3-sdk";
import { expect } from "chai";
import { getContractAddress } from "viem";

import { MAINNET, MAINNET_WBTC_WETH, UNISWAP_DEPLOYER_NONCES } from "../../src/chain/addresses.js";

describe("mainnet addresses", function () {
  it("derives every Uniswap contract's address from the real deployer and its recorded nonce", function () {
    for (const [name, nonce] of Object.entries(UNISWAP_DEPLOYER_NONCES)) {
      const derived = getContractAddress({ from: MAINNET.uniswapDeployer, nonce: BigInt(nonce) });
      expect(derived, name).to.equal(MAINNET[name as keyof typeof UNISWAP_DEPLOYER_NONCES]);
    }
  });

  it("derives the WBTC/WETH 0.3 % pool's address from the factory, with WBTC as token0", function () {
    const wbtc = new Token(1, MAINNET_WBTC_WETH.wbtc, 8, "WBTC");
    const weth = new Token(1, MAINNET.weth, 18, "WETH");
    expect(wbtc.sortsBefore(weth)).to.equal(true);
    expect(
      computePoolAddress({
        factoryAddress: MAINNET.factory,
        tokenA: weth,
        tokenB: wbtc,
        fee: MAINNET_WBTC_WETH.fee,
      }),
    ).to.equal(MAINNET_WBTC_WETH.pool);
  });
});
