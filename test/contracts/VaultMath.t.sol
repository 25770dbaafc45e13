// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {LiquidityAmounts} from "../../contracts/libraries/LiquidityAmounts.sol";
import {LossBudget} from "../../contracts/libraries/LossBudget.sol";
import {PriceMath} from "../../contracts/libraries/PriceMath.sol";
import {ShareMath} from "../../contracts/libraries/ShareMath.sol";
import {TickMath} from "../../contracts/libraries/TickMath.sol";

/// @dev The cheatcodes these tests use (no forge-std here): Hardhat's EDR answers at the usual address.
interface Vm {
    function assume(bool condition) external pure;
    function warp(uint256 timestamp) external;
}

/// @dev Fuzzed properties of the vault's math libraries (each test function runs on random arguments).
contract VaultMathTest {
    Vm private constant VM = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));

    error Violated(string what);

    function _check(bool ok, string memory what) private pure {
        if (!ok) revert Violated(what);
    }

    /// A deposit priced by ShareMath never dilutes the holders: per-share holdings do not fall, the depositor never
    /// pays less than its shares are worth, and never more than it offered.
    function testFuzz_depositNeverDilutes(
        uint128 total0,
        uint128 total1,
        uint128 supply,
        uint128 desired0,
        uint128 desired1
    ) public pure {
        VM.assume(supply > 0 && (total0 > 0 || total1 > 0));
        (uint256 shares, uint256 amount0, uint256 amount1) = ShareMath.sharesForDeposit(
            total0,
            total1,
            supply,
            desired0,
            desired1
        );
        _check(amount0 <= desired0 && amount1 <= desired1, "pays at most what it offered");
        // Per share after >= per share before: (total + amount) / (supply + shares) >= total / supply.
        _check(
            (uint256(total0) + amount0) * supply >= uint256(total0) * (uint256(supply) + shares),
            "token0 per share"
        );
        _check(
            (uint256(total1) + amount1) * supply >= uint256(total1) * (uint256(supply) + shares),
            "token1 per share"
        );
    }

    /// A withdrawal's pro-rata share rounds down: the rest never holds less per share than before.
    function testFuzz_withdrawalNeverDilutes(uint128 total, uint128 supply, uint128 shares) public pure {
        VM.assume(supply > 0 && shares <= supply && shares < supply);
        uint256 out = ShareMath.proRata(total, shares, supply);
        _check(out * supply <= uint256(total) * shares, "rounded down");
        _check(
            (uint256(total) - out) * supply >= uint256(total) * (uint256(supply) - shares),
            "per share kept"
        );
    }

    /// sqrt prices grow strictly with the tick and stay inside the pool's bounds.
    function testFuzz_sqrtRatioMonotonic(int24 tick) public pure {
        VM.assume(tick > TickMath.MIN_TICK && tick <= TickMath.MAX_TICK);
        uint160 below = TickMath.getSqrtRatioAtTick(tick - 1);
        uint160 current = TickMath.getSqrtRatioAtTick(tick);
        _check(below < current, "strictly increasing");
        _check(
            below >= 4295128739 && current <= 1461446703485210103287273052203988822378723970342,
            "within bounds"
        );
    }

    /// Liquidity bought with some amounts never holds more than those amounts at the same price.
    function testFuzz_liquidityRoundTrip(
        int24 tickA,
        int24 tickB,
        int24 tick,
        uint96 amount0,
        uint96 amount1
    ) public pure {
        VM.assume(
            tickA > -400_000 && tickA < 400_000 && tickB > -400_000 && tickB < 400_000 && tickA != tickB
        );
        VM.assume(tick > -400_000 && tick < 400_000);
        uint160 sqrtA = TickMath.getSqrtRatioAtTick(tickA);
        uint160 sqrtB = TickMath.getSqrtRatioAtTick(tickB);
        uint160 sqrtP = TickMath.getSqrtRatioAtTick(tick);
        uint128 liquidity = LiquidityAmounts.getLiquidityForAmounts(sqrtP, sqrtA, sqrtB, amount0, amount1);
        (uint256 held0, uint256 held1) = LiquidityAmounts.getAmountsForLiquidity(
            sqrtP,
            sqrtA,
            sqrtB,
            liquidity
        );
        _check(held0 <= amount0 && held1 <= amount1, "liquidity covered by the amounts");
    }

    /// The mean tick is the floor of the exact mean: mean <= delta / window < mean + 1.
    function testFuzz_meanTickIsFloor(int48 start, int32 meanish, uint16 window) public pure {
        VM.assume(window > 0);
        int56 end = int56(start) + int56(meanish) * int56(uint56(window));
        VM.assume(int256(meanish) > -887_272 && int256(meanish) < 887_272);
        int24 mean = PriceMath.meanTick(start, end, window);
        int256 delta = int256(end) - int256(start);
        _check(int256(mean) * int256(uint256(window)) <= delta, "mean <= exact");
        _check((int256(mean) + 1) * int256(uint256(window)) > delta, "exact < mean + 1");
    }

    /// The loss budget drains linearly and empties after a full window.
    function testFuzz_lossBudgetDrains(
        uint32 used,
        uint32 elapsed,
        uint16 capacityBps,
        uint32 window
    ) public {
        VM.assume(window >= 3600 && capacityBps > 0 && capacityBps <= 500);
        VM.warp(uint256(1_800_000_000) + elapsed);
        uint256 since = 1_800_000_000;
        uint256 left = LossBudget.drained(used, since, capacityBps, window);
        _check(left <= used, "never grows");
        uint256 capacity = uint256(capacityBps) * 100;
        if (elapsed >= window && used <= capacity) _check(left == 0, "empty after a window");
    }
}
