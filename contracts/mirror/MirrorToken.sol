// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MirrorToken
/// @notice Stand-in for a mainnet ERC-20 (USDC, WBTC) on simulated chains only. The mainnet mirror copies
/// its runtime code and name/symbol storage to the real token's address, so pool addresses, token order
/// and decimals match mainnet.
/// @dev Anyone may mint: this contract exists only on local test chains, where balances are free anyway.
contract MirrorToken is ERC20 {
    uint8 private immutable DECIMALS;

    /// @param name_ Token name, e.g. "USD Coin (mirror)".
    /// @param symbol_ Token symbol, e.g. "USDC".
    /// @param decimals_ Decimals of the token it stands in for (6 for USDC, 8 for WBTC).
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        DECIMALS = decimals_;
    }

    /// @notice Creates `amount` tokens for `to`.
    /// @param to Receiver of the new tokens.
    /// @param amount Raw amount, in the token's smallest unit.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @inheritdoc ERC20
    function decimals() public view override returns (uint8) {
        return DECIMALS;
    }
}
