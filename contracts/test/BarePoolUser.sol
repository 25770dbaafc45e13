// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3MintCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3MintCallback.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";

/// @title BarePoolUser
/// @notice Test-only: does pool operations directly, with no accounting and no checks. It provides the separate LP
/// and the traders of test scenarios, and the gas floor of the benchmark: the same pool operations a vault step does,
/// by the cheapest possible contract.
/// @dev Pays the pool from its own balance: fund it first. Anyone may call anything; it exists only on test chains.
contract BarePoolUser is IUniswapV3MintCallback, IUniswapV3SwapCallback {
    using SafeERC20 for IERC20;

    struct Position {
        int24 lower;
        int24 upper;
        uint128 liquidity;
    }

    // Getter names as in the vault and the pool.
    // solhint-disable immutable-vars-naming
    IUniswapV3Pool public immutable pool;
    IERC20 public immutable token0;
    IERC20 public immutable token1;
    // solhint-enable immutable-vars-naming

    error NotPool(address caller);

    /// @param pool_ The pool to use.
    constructor(IUniswapV3Pool pool_) {
        pool = pool_;
        token0 = IERC20(pool_.token0());
        token1 = IERC20(pool_.token1());
    }

    /// @notice Mints `liquidity` on [lower, upper] for this contract.
    /// @param lower Lower tick.
    /// @param upper Upper tick.
    /// @param liquidity Liquidity to add.
    /// @return amount0 Token0 paid.
    /// @return amount1 Token1 paid.
    function mint(
        int24 lower,
        int24 upper,
        uint128 liquidity
    ) public returns (uint256 amount0, uint256 amount1) {
        return pool.mint(address(this), lower, upper, liquidity, "");
    }

    /// @notice Burns `liquidity` of [lower, upper] (zero: only credits fees) and collects everything owed.
    /// @param lower Lower tick.
    /// @param upper Upper tick.
    /// @param liquidity Liquidity to remove.
    /// @return amount0 Token0 collected.
    /// @return amount1 Token1 collected.
    function burnAndCollect(
        int24 lower,
        int24 upper,
        uint128 liquidity
    ) public returns (uint256 amount0, uint256 amount1) {
        pool.burn(lower, upper, liquidity);
        return pool.collect(address(this), lower, upper, type(uint128).max, type(uint128).max);
    }

    /// @notice Swaps exactly `amountIn` of one token for the other, keeping the output here.
    /// @param zeroForOne True to sell token0.
    /// @param amountIn Input amount.
    /// @return amount0 The pool's token0 delta.
    /// @return amount1 The pool's token1 delta.
    function swapExactIn(
        bool zeroForOne,
        uint256 amountIn
    ) external returns (int256 amount0, int256 amount1) {
        // Price limits just inside the pool's bounds (TickMath.MIN_SQRT_RATIO + 1, MAX_SQRT_RATIO - 1).
        uint160 limit = zeroForOne ? 4295128740 : 1461446703485210103287273052203988822378723970341;
        return pool.swap(address(this), zeroForOne, int256(amountIn), limit, "");
    }

    /// @notice Swaps whatever it takes to move the price to `sqrtPriceX96` (the pool stops at that limit).
    /// @param sqrtPriceX96 Target price.
    /// @return amount0 The pool's token0 delta.
    /// @return amount1 The pool's token1 delta.
    function swapTo(uint160 sqrtPriceX96) external returns (int256 amount0, int256 amount1) {
        (uint160 current, , , , , , ) = pool.slot0();
        if (current == sqrtPriceX96) return (0, 0);
        return pool.swap(address(this), sqrtPriceX96 < current, type(int128).max, sqrtPriceX96, "");
    }

    /// @notice Floor of a deposit: makes the pool credit the fees of `positions` (zero burns), collects them where
    /// `collect` says so, then pulls both amounts from the caller (who approved this contract).
    /// @dev The vault collects a range only when the pool owes it something, so the floor takes the same choice
    /// as input instead of paying for an empty collect the vault never makes.
    /// @param positions Positions to poke (liquidity is ignored).
    /// @param collect For each position, whether to collect after the poke.
    /// @param amount0 Token0 to pull.
    /// @param amount1 Token1 to pull.
    function depositFloor(
        Position[] calldata positions,
        bool[] calldata collect,
        uint256 amount0,
        uint256 amount1
    ) external {
        for (uint256 i = 0; i < positions.length; ++i) {
            pool.burn(positions[i].lower, positions[i].upper, 0);
            if (collect[i]) {
                pool.collect(
                    address(this),
                    positions[i].lower,
                    positions[i].upper,
                    type(uint128).max,
                    type(uint128).max
                );
            }
        }
        if (amount0 != 0) token0.safeTransferFrom(msg.sender, address(this), amount0);
        if (amount1 != 0) token1.safeTransferFrom(msg.sender, address(this), amount1);
    }

    /// @notice Floor of a withdrawal: burns the given liquidity of each position, collects, pays `to`.
    /// @param positions Positions and the liquidity to burn from each.
    /// @param to Receiver.
    /// @param amount0 Token0 to pay.
    /// @param amount1 Token1 to pay.
    function withdrawFloor(
        Position[] calldata positions,
        address to,
        uint256 amount0,
        uint256 amount1
    ) external {
        for (uint256 i = 0; i < positions.length; ++i) {
            burnAndCollect(positions[i].lower, positions[i].upper, positions[i].liquidity);
        }
        if (amount0 != 0) token0.safeTransfer(to, amount0);
        if (amount1 != 0) token1.safeTransfer(to, amount1);
    }

    /// @notice Floor of a rebalance: burns and collects all of `exits`, mints `entries`.
    /// @param exits Positions to remove entirely (with their liquidity).
    /// @param entries Positions to add.
    function rebalanceFloor(Position[] calldata exits, Position[] calldata entries) external {
        for (uint256 i = 0; i < exits.length; ++i)
            burnAndCollect(exits[i].lower, exits[i].upper, exits[i].liquidity);
        for (uint256 i = 0; i < entries.length; ++i)
            mint(entries[i].lower, entries[i].upper, entries[i].liquidity);
    }

    /// @notice Pays the pool for a mint.
    /// @param amount0Owed Token0 owed.
    /// @param amount1Owed Token1 owed.
    function uniswapV3MintCallback(
        uint256 amount0Owed,
        uint256 amount1Owed,
        bytes calldata
    ) external override {
        if (msg.sender != address(pool)) revert NotPool(msg.sender);
        if (amount0Owed != 0) token0.safeTransfer(msg.sender, amount0Owed);
        if (amount1Owed != 0) token1.safeTransfer(msg.sender, amount1Owed);
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
        if (amount0Delta > 0) token0.safeTransfer(msg.sender, uint256(amount0Delta));
        if (amount1Delta > 0) token1.safeTransfer(msg.sender, uint256(amount1Delta));
    }
}
