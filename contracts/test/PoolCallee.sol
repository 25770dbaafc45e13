// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3MintCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3MintCallback.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";

/// @title PoolCallee
/// @notice Test harness that swaps and mints on a Uniswap v3 pool directly, without a router, paying from its
/// own token balance: recorded pool events replay with exactly their parameters (a swap's amountSpecified is
/// positive for exact input, negative for exact output; a mint may credit any recipient).
/// @dev Only the pool this contract is calling may take payment in a callback; the pool is kept in transient
/// storage for the duration of the call.
contract PoolCallee is IUniswapV3SwapCallback, IUniswapV3MintCallback {
    using SafeERC20 for IERC20;

    address private transient activePool;

    /// @notice A callback came from an address that is not the pool being called.
    error UnexpectedCallback(address caller);

    /// @notice Swaps on `pool` with this contract as payer and recipient.
    /// @param pool The pool.
    /// @param zeroForOne True to sell token0 for token1.
    /// @param amountSpecified Exact input if positive, exact output if negative.
    /// @param sqrtPriceLimitX96 The price the swap may not cross.
    /// @return amount0 The pool's token0 delta (positive: paid in).
    /// @return amount1 The pool's token1 delta.
    /// @return sqrtPriceX96 The pool's price after the swap.
    /// @return tick The pool's tick after the swap.
    function swap(
        IUniswapV3Pool pool,
        bool zeroForOne,
        int256 amountSpecified,
        uint160 sqrtPriceLimitX96
    ) external returns (int256 amount0, int256 amount1, uint160 sqrtPriceX96, int24 tick) {
        activePool = address(pool);
        (amount0, amount1) = pool.swap(address(this), zeroForOne, amountSpecified, sqrtPriceLimitX96, "");
        activePool = address(0);
        (sqrtPriceX96, tick, , , , , ) = pool.slot0();
    }

    /// @notice Adds `liquidity` in [tickLower, tickUpper) on `pool` for `recipient`, paid by this contract.
    /// @param pool The pool.
    /// @param recipient Owner of the position.
    /// @param tickLower Lower tick of the range.
    /// @param tickUpper Upper tick of the range.
    /// @param liquidity Liquidity to add.
    /// @return amount0 Token0 paid.
    /// @return amount1 Token1 paid.
    function mint(
        IUniswapV3Pool pool,
        address recipient,
        int24 tickLower,
        int24 tickUpper,
        uint128 liquidity
    ) external returns (uint256 amount0, uint256 amount1) {
        activePool = address(pool);
        (amount0, amount1) = pool.mint(recipient, tickLower, tickUpper, liquidity, "");
        activePool = address(0);
    }

    /// @inheritdoc IUniswapV3SwapCallback
    function uniswapV3SwapCallback(
        int256 amount0Delta,
        int256 amount1Delta,
        bytes calldata
    ) external override {
        _pay(amount0Delta > 0 ? uint256(amount0Delta) : 0, amount1Delta > 0 ? uint256(amount1Delta) : 0);
    }

    /// @inheritdoc IUniswapV3MintCallback
    function uniswapV3MintCallback(
        uint256 amount0Owed,
        uint256 amount1Owed,
        bytes calldata
    ) external override {
        _pay(amount0Owed, amount1Owed);
    }

    function _pay(uint256 amount0, uint256 amount1) private {
        if (msg.sender != activePool) revert UnexpectedCallback(msg.sender);
        IUniswapV3Pool pool = IUniswapV3Pool(msg.sender);
        if (amount0 > 0) IERC20(pool.token0()).safeTransfer(msg.sender, amount0);
        if (amount1 > 0) IERC20(pool.token1()).safeTransfer(msg.sender, amount1);
    }
}
