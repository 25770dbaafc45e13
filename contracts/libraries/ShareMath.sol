// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title ShareMath
/// @notice Proportional share accounting of a two-token vault. Every rounding favours the vault: shares minted
/// round down, amounts paid in round up, amounts paid out round down.
/// @dev Invariant (fuzzed in test/contracts/ShareMath.t.sol): after a deposit computed here, the holdings per share
/// of every other holder, total0/supply and total1/supply, do not decrease; after a withdrawal neither.
library ShareMath {
    /// @notice The vault has shares outstanding but holds nothing, so no proportion can be computed.
    error EmptyVault();

    /// @notice Shares for a proportional deposit into a vault holding `total0`/`total1` against `supply` shares,
    /// and the amounts of each token those shares cost (at most the desired amounts).
    /// @dev shares = min(amount0Desired/total0, amount1Desired/total1) * supply, rounded down; each amount is then
    /// shares * total / supply rounded up, which never exceeds the desired amount since shares was rounded down.
    function sharesForDeposit(
        uint256 total0,
        uint256 total1,
        uint256 supply,
        uint256 amount0Desired,
        uint256 amount1Desired
    ) internal pure returns (uint256 shares, uint256 amount0, uint256 amount1) {
        if (total0 == 0 && total1 == 0) revert EmptyVault();
        shares = type(uint256).max;
        if (total0 != 0) shares = Math.mulDiv(amount0Desired, supply, total0);
        if (total1 != 0) shares = Math.min(shares, Math.mulDiv(amount1Desired, supply, total1));
        amount0 = Math.mulDiv(shares, total0, supply, Math.Rounding.Ceil);
        amount1 = Math.mulDiv(shares, total1, supply, Math.Rounding.Ceil);
    }

    /// @notice The part of `amount` that `shares` out of `supply` own, rounded down.
    function proRata(uint256 amount, uint256 shares, uint256 supply) internal pure returns (uint256) {
        return Math.mulDiv(amount, shares, supply);
    }
}
