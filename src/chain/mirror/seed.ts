/**
 * The state the mirror recreates: each USDC/WETH pool as the first Swap of 2024-01-05 left it, from
 * `../shared/data/mainnet-usdc-weth-{005,03}-2024-01-05/pool.tick.csv` (test/chain/mirror.test.ts checks
 * these numbers against the files, so the mirror itself does not need the data folder).
 */
export const POOL_SEEDS = {
  usdcWeth005: {
    fee: 500,
    tickSpacing: 10,
    sqrtPriceX96: 1662995104975155420368771254341874n,
    tick: 199045,
    /** Active liquidity after that swap; the mirror's LP ladder adds up to it. */
    liquidity: 12453647101533358277n,
    block: 18937382n,
    /** 2024-01-05 00:00:23 UTC */
    timestamp: 1704412823,
  },
  usdcWeth03: {
    fee: 3000,
    tickSpacing: 60,
    sqrtPriceX96: 1661902247488239778583400955918697n,
    tick: 199032,
    liquidity: 5876290753422535546n,
    block: 18937547n,
    /** 2024-01-05 00:33:23 UTC */
    timestamp: 1704414803,
  },
} as const;

export type MirrorPoolName = keyof typeof POOL_SEEDS;

/**
 * How the seeded active liquidity is spread over ranges centred on the price. Real USDC/WETH liquidity is
 * concentrated near the price with thinner wide ranges behind it, so price impact grows with trade size
 * roughly as on mainnet instead of falling off a cliff at one range edge. `halfWidth` is in ticks
 * (null = full range); shares are in basis points and add up to 10,000.
 */
export const LIQUIDITY_LADDER: readonly { halfWidth: number | null; bps: bigint }[] = [
  { halfWidth: null, bps: 400n },
  { halfWidth: 3000, bps: 1200n },
  { halfWidth: 1000, bps: 2000n },
  { halfWidth: 300, bps: 2800n },
  { halfWidth: 100, bps: 3600n },
];
