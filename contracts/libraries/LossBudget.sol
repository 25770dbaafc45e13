// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title LossBudget
/// @notice A leaky bucket of rebalance losses: it holds at most `capacity` and drains linearly, emptying in
/// `window` seconds. Losses are in millionths (ppm) of the vault's value at the TWAP price.
/// @dev Over any span of T seconds the losses it admits add up to at most capacity * (1 + T / window).
library LossBudget {
    uint256 internal constant PPM = 1_000_000;
    uint256 internal constant PPM_PER_BPS = 100;

    /// @notice What is left of `usedPpm`, recorded at `since`, after draining until now.
    function drained(
        uint256 usedPpm,
        uint256 since,
        uint16 capacityBps,
        uint32 window
    ) internal view returns (uint256) {
        uint256 drain = Math.mulDiv(block.timestamp - since, uint256(capacityBps) * PPM_PER_BPS, window);
        return drain >= usedPpm ? 0 : usedPpm - drain;
    }
}
