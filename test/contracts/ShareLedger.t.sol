// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ShareMath} from "../../contracts/libraries/ShareMath.sol";

/// @dev A vault's share book with ShareMath's pricing and no pool: the invariant fuzzer calls its functions in random
/// order with random arguments, and it records whether any holder's holdings per share ever fell.
contract ShareLedger {
    uint256 public total0 = 1e18;
    uint256 public total1 = 3e18;
    uint256 public supply = 1e18;
    bool public diluted;
    uint256 public calls;

    function deposit(uint96 desired0, uint96 desired1) external {
        (uint256 shares, uint256 amount0, uint256 amount1) = ShareMath.sharesForDeposit(
            total0,
            total1,
            supply,
            desired0,
            desired1
        );
        if (shares == 0) return;
        _apply(total0 + amount0, total1 + amount1, supply + shares);
    }

    function withdraw(uint96 fraction) external {
        uint256 shares = (supply * (uint256(fraction) % 1e6)) / 1e6;
        if (shares == 0 || shares >= supply - 1e3) return;
        uint256 out0 = ShareMath.proRata(total0, shares, supply);
        uint256 out1 = ShareMath.proRata(total1, shares, supply);
        _apply(total0 - out0, total1 - out1, supply - shares);
    }

    function earn(uint64 fees0, uint64 fees1) external {
        _apply(total0 + fees0, total1 + fees1, supply);
    }

    function _apply(uint256 next0, uint256 next1, uint256 nextSupply) private {
        ++calls;
        if (next0 * supply < total0 * nextSupply || next1 * supply < total1 * nextSupply) diluted = true;
        (total0, total1, supply) = (next0, next1, nextSupply);
    }
}

contract ShareLedgerInvariantTest {
    ShareLedger private ledger;

    error Diluted();

    function setUp() public {
        ledger = new ShareLedger();
    }

    /// No sequence of deposits, withdrawals and fee income lowers any holder's holdings per share.
    /// forge-config: default.invariant.runs = 64
    /// forge-config: default.invariant.depth = 100
    function invariant_noHolderIsDiluted() public view {
        if (ledger.diluted()) revert Diluted();
    }
}
