/** Fixed-point scales and bounds of Uniswap v3 core (FixedPoint96, FixedPoint128, TickMath). */
export const Q96 = 1n << 96n;
export const Q128 = 1n << 128n;
export const MAX_UINT256 = (1n << 256n) - 1n;
export const MAX_UINT160 = (1n << 160n) - 1n;
export const MAX_UINT128 = (1n << 128n) - 1n;
export const MAX_INT256 = (1n << 255n) - 1n;

export const MIN_TICK = -887272;
export const MAX_TICK = 887272;
/** getSqrtRatioAtTick(MIN_TICK) and getSqrtRatioAtTick(MAX_TICK): a pool's price always lies in [MIN, MAX). */
export const MIN_SQRT_RATIO = 4295128739n;
export const MAX_SQRT_RATIO = 1461446703485210103287273052203988822378723970342n;

/** Fees are in hundredths of a basis point: 500 = 0.05 %. */
export const FEE_DENOMINATOR = 1_000_000n;
