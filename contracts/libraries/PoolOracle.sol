// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";

import {PriceMath} from "./PriceMath.sol";

/// @title PoolOracle
/// @notice A pool's time-weighted mean tick, exactly as observe([window, 0]) and OracleLibrary.consult give it, at the
/// cost of one or two observation reads in the common cases instead of observe's binary search.
/// @dev observe computes the cumulative at any time after the latest observation by extending it with the spot tick,
/// and at a time between two consecutive observations by interpolating between them (v3-core Oracle.observeSingle).
/// So when the window starts after the latest observation, or between it and the one before, the two cumulatives
/// follow from those observations with the pool's own integer arithmetic; any other case asks observe itself, which
/// also keeps its reverts (an oracle too short for the window: `OLD`). Differentially tested against consult
/// (test/contracts/vaultMath.test.ts).
library PoolOracle {
    /// @notice The mean tick over the last `window` seconds (rounded towards negative infinity).
    /// @param pool The pool.
    /// @param tick The pool's spot tick (slot0).
    /// @param index The pool's latest observation index (slot0.observationIndex).
    /// @param cardinality The pool's observation cardinality (slot0.observationCardinality).
    /// @param window Seconds, at least 1.
    function meanTick(
        IUniswapV3Pool pool,
        int24 tick,
        uint16 index,
        uint16 cardinality,
        uint32 window
    ) internal view returns (int24) {
        (uint32 lastTime, int56 lastCumulative, , ) = pool.observations(index);
        // Timestamps are uint32 in the pool and compared modulo 2^32: wrapping arithmetic throughout, as there.
        unchecked {
            uint32 age = uint32(block.timestamp) - lastTime;
            // The whole window lies after the latest observation: the price sat at the spot tick all along.
            if (age >= window) return tick;
            // With a single slot the observation before the latest is the latest itself, younger than the window.
            (bool found, int56 cumulativeThen) = _cumulativeBetween(
                pool,
                uint16((uint256(index) + cardinality - 1) % cardinality),
                lastTime,
                lastCumulative,
                window
            );
            if (found) {
                int56 cumulativeNow = lastCumulative + int56(tick) * int56(uint56(age));
                return PriceMath.meanTick(cumulativeThen, cumulativeNow, window);
            }
        }
        uint32[] memory secondsAgos = new uint32[](2);
        secondsAgos[0] = window;
        (int56[] memory cumulatives, ) = pool.observe(secondsAgos);
        return PriceMath.meanTick(cumulatives[0], cumulatives[1], window);
    }

    /// @dev The cumulative `window` seconds ago when that time falls between the observation at `prevIndex` and the
    /// latest one (`found`), interpolated as observeSingle does: the latest observation is younger than the window.
    function _cumulativeBetween(
        IUniswapV3Pool pool,
        uint16 prevIndex,
        uint32 lastTime,
        int56 lastCumulative,
        uint32 window
    ) private view returns (bool found, int56 cumulative) {
        (uint32 prevTime, int56 prevCumulative, , bool initialized) = pool.observations(prevIndex);
        unchecked {
            uint32 sincePrev = uint32(block.timestamp) - prevTime;
            // Within the cardinality slot0 reports every slot holds an observation; the flag is checked anyway, as
            // a slot the pool grew but has not written yet holds a placeholder timestamp.
            if (!initialized || sincePrev < window) return (false, 0);
            // (target - prevTime) = sincePrev - window, with target = now - window.
            cumulative =
                prevCumulative +
                ((lastCumulative - prevCumulative) / int56(uint56(lastTime - prevTime))) *
                    int56(uint56(sincePrev - window));
            found = true;
        }
    }
}
