// SPDX-License-Identifier: GPL-2.0-or-later
// Uniswap's originals only compile below 0.8: this harness is the one file built with 0.7.6 (hardhat.config.ts).
// solhint-disable-next-line compiler-version
pragma solidity =0.7.6;
pragma abicoder v2;

import {TickMath} from "@uniswap/v3-core/contracts/libraries/TickMath.sol";
import {LiquidityAmounts} from "@uniswap/v3-periphery/contracts/libraries/LiquidityAmounts.sol";
import {OracleLibrary} from "@uniswap/v3-periphery/contracts/libraries/OracleLibrary.sol";

/// @title UniswapMathHarness
/// @notice Test-only: Uniswap's own <0.8 math libraries, compiled with 0.7.6, in batches, as the reference the 0.8
/// ports in contracts/libraries/ are differentially tested against (VaultMathHarness exposes the ports the same way).
contract UniswapMathHarness {
    /// @notice TickMath.getSqrtRatioAtTick for each tick.
    function sqrtRatios(int24[] calldata ticks) external pure returns (uint160[] memory out) {
        out = new uint160[](ticks.length);
        for (uint256 i = 0; i < ticks.length; ++i) out[i] = TickMath.getSqrtRatioAtTick(ticks[i]);
    }

    /// @notice LiquidityAmounts.getLiquidityForAmounts for each row [sqrtP, sqrtA, sqrtB, amount0, amount1].
    function liquidities(uint256[5][] calldata rows) external pure returns (uint128[] memory out) {
        out = new uint128[](rows.length);
        for (uint256 i = 0; i < rows.length; ++i) {
            out[i] = LiquidityAmounts.getLiquidityForAmounts(
                uint160(rows[i][0]),
                uint160(rows[i][1]),
                uint160(rows[i][2]),
                rows[i][3],
                rows[i][4]
            );
        }
    }

    /// @notice LiquidityAmounts.getAmountsForLiquidity for each row [sqrtP, sqrtA, sqrtB, liquidity].
    function amounts(uint256[4][] calldata rows) external pure returns (uint256[2][] memory out) {
        out = new uint256[2][](rows.length);
        for (uint256 i = 0; i < rows.length; ++i) {
            (out[i][0], out[i][1]) = LiquidityAmounts.getAmountsForLiquidity(
                uint160(rows[i][0]),
                uint160(rows[i][1]),
                uint160(rows[i][2]),
                uint128(rows[i][3])
            );
        }
    }

    /// @notice OracleLibrary.getQuoteAtTick of token0 in token1 (base address below quote) for each (tick, amount).
    function quotes(
        int24[] calldata ticks,
        uint128[] calldata baseAmounts
    ) external pure returns (uint256[] memory out) {
        out = new uint256[](ticks.length);
        for (uint256 i = 0; i < ticks.length; ++i) {
            out[i] = OracleLibrary.getQuoteAtTick(ticks[i], baseAmounts[i], address(1), address(2));
        }
    }

    /// @notice OracleLibrary.consult's arithmetic mean tick of `pool` over `secondsAgo`.
    function consult(address pool, uint32 secondsAgo) external view returns (int24 tick) {
        (tick, ) = OracleLibrary.consult(pool, secondsAgo);
    }
}
