// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

/// @title CancunProbe
/// @notice Test harness for the rules a chain runs: built by this project (solc 0.8.37, evmVersion cancun) its
/// code uses PUSH0 (Shanghai), TSTORE/TLOAD and MCOPY (Cancun), so it deploys and runs only where those exist.
contract CancunProbe {
    /// @dev Transient: starts at zero in every transaction.
    uint256 private transient calls;

    /// @notice Emitted by countTwice with the count reached in its transaction and its input written twice.
    event Counted(uint256 indexed callsThisTransaction, bytes twice);

    /// @notice Counts two calls in this transaction (transient storage) and emits `data` twice (a memory copy).
    /// @param data Any bytes.
    /// @return reached Calls counted in this transaction: 2 in every transaction if storage is transient.
    function countTwice(bytes calldata data) external returns (uint256 reached) {
        this.count();
        reached = this.count();
        bytes memory once = data;
        emit Counted(reached, bytes.concat(once, once));
    }

    /// @notice Adds one to this transaction's call count.
    /// @return The count after this call.
    function count() external returns (uint256) {
        return ++calls;
    }
}
