// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";

import {LiquidityAmounts} from "../libraries/LiquidityAmounts.sol";
import {PoolOracle} from "../libraries/PoolOracle.sol";
import {PriceMath} from "../libraries/PriceMath.sol";
import {TickMath} from "../libraries/TickMath.sol";

/// @title VaultMathHarness
/// @notice Test-only: the vault's 0.8 math libraries in the same batches as UniswapMathHarness, for differential tests.
contract VaultMathHarness {
    /// @notice TickMath.getSqrtRatioAtTick for each tick.
    /// @param ticks Ticks.
    /// @return out Their sqrt prices.
    function sqrtRatios(int24[] calldata ticks) external pure returns (uint160[] memory out) {
        out = new uint160[](ticks.length);
        for (uint256 i = 0; i < ticks.length; ++i) out[i] = TickMath.getSqrtRatioAtTick(ticks[i]);
    }

    /// @notice LiquidityAmounts.getLiquidityForAmounts for each row [sqrtP, sqrtA, sqrtB, amount0, amount1].
    /// @param rows Inputs.
    /// @return out Liquidity.
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
    /// @param rows Inputs.
    /// @return out [amount0, amount1] per row.
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

    /// @notice PriceMath.quote0In1 at each tick's sqrt price.
    /// @param ticks Ticks.
    /// @param baseAmounts Token0 amounts.
    /// @return out Token1 values.
    function quotes(
        int24[] calldata ticks,
        uint128[] calldata baseAmounts
    ) external pure returns (uint256[] memory out) {
        out = new uint256[](ticks.length);
        for (uint256 i = 0; i < ticks.length; ++i) {
            out[i] = PriceMath.quote0In1(baseAmounts[i], TickMath.getSqrtRatioAtTick(ticks[i]));
        }
    }

    /// @notice PriceMath.meanTick for each (start, end, window).
    /// @param starts Cumulatives at the window's start.
    /// @param ends Cumulatives at its end.
    /// @param windows Window lengths.
    /// @return out Mean ticks.
    function meanTicks(
        int56[] calldata starts,
        int56[] calldata ends,
        uint32[] calldata windows
    ) external pure returns (int24[] memory out) {
        out = new int24[](starts.length);
        for (uint256 i = 0; i < starts.length; ++i)
            out[i] = PriceMath.meanTick(starts[i], ends[i], windows[i]);
    }

    /// @notice PoolOracle.meanTick of `pool` over `window` seconds, from the pool's slot0 as the vault reads it.
    /// @param pool The pool.
    /// @param window Seconds.
    /// @return The mean tick.
    function twapTick(IUniswapV3Pool pool, uint32 window) external view returns (int24) {
        (, int24 tick, uint16 index, uint16 cardinality, , , ) = pool.slot0();
        return PoolOracle.meanTick(pool, tick, index, cardinality, window);
    }
}
