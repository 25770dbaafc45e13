// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice Test-only malicious ERC-20: on every balance change it calls an armed target with armed calldata (an
/// attempt to re-enter the vault in the middle of a deposit, withdrawal or rebalance), and records how that call
/// ended instead of letting it bubble up, so a test can assert both that the outer operation completed and that the
/// re-entry was refused.
contract ReentrantToken is ERC20 {
    address public target;
    bytes public payload;
    /// @notice Re-entry attempts made, and the revert data of the last one (empty if it succeeded).
    uint256 public attempts;
    uint256 public successes;
    bytes public lastRevert;
    bool private _inHook;

    constructor() ERC20("Reentrant", "REE") {}

    /// @notice Mints test balances.
    /// @param to Receiver.
    /// @param amount Amount.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Arms the hook: every later transfer calls `target_` with `payload_` (address(0) disarms).
    /// @param target_ Contract to call.
    /// @param payload_ Calldata.
    function arm(address target_, bytes calldata payload_) external {
        target = target_;
        payload = payload_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (target == address(0) || _inHook) return;
        _inHook = true;
        ++attempts;
        // The hook exists to attempt a re-entry and observe its result; its failure must not stop the transfer.
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory data) = target.call(payload);
        if (ok) ++successes;
        else lastRevert = data;
        _inHook = false;
    }
}
