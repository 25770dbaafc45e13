import type { Address } from "viem";

/** Ethereum mainnet addresses of Uniswap v3 and the tokens this project trades, as deployed on chain. */
export const MAINNET = {
  /** Deployer of Uniswap v3 core and periphery; each contract below is its CREATE at `UNISWAP_DEPLOYER_NONCES`. */
  uniswapDeployer: "0x6C9FC64A53c1b71FB3f9Af64d1ae3A4931A5f4E9",
  factory: "0x1F98431c8aD98523631AE4a59f267346ea31F984",
  swapRouter: "0xE592427A0AEce92De3Edee1F18E0157C05861564",
  nftDescriptorLibrary: "0x42B24A95702b9986e82d421cC3568932790A48Ec",
  positionDescriptor: "0xEe6A57eC80ea46401049E92587E52f5Ec1c24785",
  positionManager: "0xC36442b4a4522E871399CD717aBDD847Ab11FE88",
  quoterV2: "0x61fFE014bA17989E743c5F6cB21bF9697530B21e",
  weth: "0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2",
  usdc: "0xA0b86991c6218b36c1d19D4a2e9Eb0cE3606eB48",
  /** Multicall3, at the same address on every chain it is deployed to (mainnet since block 14,353,601). */
  multicall3: "0xcA11bde05977b3631167028862bE2a173976CA11",
  /** USDC/WETH pools: token0 = USDC (6 dp), token1 = WETH (18 dp). */
  pools: {
    usdcWeth005: "0x88e6A0c2dDD26FEEb64F039a2c41296FcB3f5640",
    usdcWeth03: "0x8ad599c3A0ff1De082011EFDDc58f1908eb6e6D8",
  },
} as const satisfies Record<string, Address | Record<string, Address>>;

/**
 * WBTC and the WBTC/WETH 0.3 % pool (token0 = WBTC, 8 dp; token1 = WETH, 18 dp), whose recorded state at block
 * 16,944,668 the offline mainnet fork serves (src/chain/fork/), and the factory's owner there: the Uniswap
 * governance Timelock.
 */
export const MAINNET_WBTC_WETH = {
  wbtc: "0x2260FAC5E5542a773Aa44fBCfeDf7C193bc2C599",
  pool: "0xCBCdF9626bC03E24f779434178A73a0B4bad62eD",
  fee: 3000,
  tickSpacing: 60,
  factoryOwner: "0x1a9C8182C09F50C8318d769245beA52c32BE35BC",
} as const;

/**
 * The deployer's nonce for each contract: CREATE addresses depend only on (deployer, nonce), so replaying
 * the deployment at these nonces puts every contract at its mainnet address with consistent immutables.
 * (Checked by test/chain/addresses.test.ts against viem's getContractAddress.)
 */
export const UNISWAP_DEPLOYER_NONCES = {
  factory: 0,
  swapRouter: 4,
  nftDescriptorLibrary: 5,
  positionDescriptor: 7,
  positionManager: 8,
  quoterV2: 13,
} as const;
