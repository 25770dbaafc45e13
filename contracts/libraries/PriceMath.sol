// SPDX-License-Identifier: GPL-2.0-or-later
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title PriceMath
/// @notice Time-weighted mean ticks from oracle cumulatives and token0 valued in token1, as Uniswap v3-periphery's
/// OracleLibrary (consult, getQuoteAtTick) computes them, for 0.8.
/// @dev Differentially tested against the 0.7.6 OracleLibrary and against the pool's own observe
/// (test/contracts/vaultMath.test.ts).
library PriceMath {
    /// @notice Arithmetic mean tick over `window` seconds from two tick cumulatives, rounded towards negative
    /// infinity (OracleLibrary.consult).
    function meanTick(
        int56 cumulativeStart,
        int56 cumulativeEnd,
        uint32 window
    ) internal pure returns (int24 tick) {
        int56 delta = cumulativeEnd - cumulativeStart;
        int56 span = int56(uint56(window));
        tick = int24(delta / span);
        if (delta < 0 && delta % span != 0) --tick;
    }

    /// @notice `amount0` of token0 in token1 at `sqrtPriceX96`, rounded down.
    /// @dev Squares the price in one step when it fits in 256 bits (sqrtPrice <= 2^128), as getQuoteAtTick does,
    /// so both agree to the unit; above that the price is first reduced to Q128.
    function quote0In1(uint256 amount0, uint160 sqrtPriceX96) internal pure returns (uint256) {
        if (sqrtPriceX96 <= type(uint128).max) {
            return Math.mulDiv(amount0, uint256(sqrtPriceX96) * sqrtPriceX96, 1 << 192);
        }
        return Math.mulDiv(amount0, Math.mulDiv(sqrtPriceX96, sqrtPriceX96, 1 << 64), 1 << 128);
    }
}
