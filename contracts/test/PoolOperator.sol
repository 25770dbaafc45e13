// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3FlashCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3FlashCallback.sol";
import {IUniswapV3MintCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3MintCallback.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";

import {MirrorToken} from "../mirror/MirrorToken.sol";

/// @title PoolOperator
/// @notice Test harness that drives a Uniswap v3 pool directly (swap, mint, burn, collect) so differential
/// tests exercise exact input and exact output, price limits and reverts without a router in between. It
/// runs a batch of operations in one transaction, catches each one's revert, and logs each outcome with the
/// pool state right after it, so a simulator can be compared with the pool after every single step.
/// A flash borrows `amount0Requested`/`amount1Requested` and repays them plus the fee plus `extra0`/`extra1`.
/// @dev Test-only: it pays the pool by minting MirrorTokens, which anyone may mint on a test chain.
contract PoolOperator is IUniswapV3FlashCallback, IUniswapV3MintCallback, IUniswapV3SwapCallback {
    enum Kind {
        Swap,
        Mint,
        Burn,
        Collect,
        Flash
    }

    struct Op {
        Kind kind;
        bool zeroForOne;
        int24 tickLower;
        int24 tickUpper;
        uint160 sqrtPriceLimitX96;
        int256 amountSpecified;
        uint128 amount;
        uint128 amount0Requested;
        uint128 amount1Requested;
        uint128 extra0;
        uint128 extra1;
    }

    /// @notice What an operation returned and the pool's state right after it.
    struct Result {
        int256 amount0;
        int256 amount1;
        uint160 sqrtPriceX96;
        int24 tick;
        uint128 liquidity;
        uint256 feeGrowthGlobal0X128;
        uint256 feeGrowthGlobal1X128;
    }

    struct TickInfo {
        uint128 liquidityGross;
        int128 liquidityNet;
        uint256 feeGrowthOutside0X128;
        uint256 feeGrowthOutside1X128;
        int56 tickCumulativeOutside;
        uint160 secondsPerLiquidityOutsideX128;
        uint32 secondsOutside;
        bool initialized;
    }

    struct PositionInfo {
        uint128 liquidity;
        uint256 feeGrowthInside0LastX128;
        uint256 feeGrowthInside1LastX128;
        uint128 tokensOwed0;
        uint128 tokensOwed1;
    }

    /// @notice A callback came from an address other than the pool of the running batch.
    error NotThePool(address caller);

    /// @notice The outcome of operation `index` of a batch and the pool's state right after it.
    /// @param reverted Whether the pool reverted; `revertData` is then its revert data (empty for a bare require).
    event Outcome(uint256 indexed index, bool reverted, bytes revertData, Result result);

    IUniswapV3Pool private activePool;
    uint256 private flashPaid0;
    uint256 private flashPaid1;

    /// @notice Runs `ops` against `pool` in order; a reverting operation is logged and the batch goes on.
    /// @param pool The pool to operate; positions are owned by this contract.
    /// @param ops The operations.
    function run(IUniswapV3Pool pool, Op[] calldata ops) external {
        activePool = pool;
        for (uint256 i = 0; i < ops.length; ++i) {
            Result memory result;
            bool reverted;
            bytes memory revertData;
            (reverted, revertData, result.amount0, result.amount1) = _execute(pool, ops[i]);
            (result.sqrtPriceX96, result.tick, , , , , ) = pool.slot0();
            result.liquidity = pool.liquidity();
            result.feeGrowthGlobal0X128 = pool.feeGrowthGlobal0X128();
            result.feeGrowthGlobal1X128 = pool.feeGrowthGlobal1X128();
            emit Outcome(i, reverted, revertData, result);
        }
        delete activePool;
    }

    function _execute(
        IUniswapV3Pool pool,
        Op calldata op
    ) private returns (bool reverted, bytes memory revertData, int256 amount0, int256 amount1) {
        if (op.kind == Kind.Swap) {
            try
                pool.swap(address(this), op.zeroForOne, op.amountSpecified, op.sqrtPriceLimitX96, "")
            returns (int256 a0, int256 a1) {
                return (false, "", a0, a1);
            } catch (bytes memory reason) {
                return (true, reason, 0, 0);
            }
        }
        if (op.kind == Kind.Mint) {
            try pool.mint(address(this), op.tickLower, op.tickUpper, op.amount, "") returns (
                uint256 a0,
                uint256 a1
            ) {
                return (false, "", int256(a0), int256(a1));
            } catch (bytes memory reason) {
                return (true, reason, 0, 0);
            }
        }
        if (op.kind == Kind.Burn) {
            try pool.burn(op.tickLower, op.tickUpper, op.amount) returns (uint256 a0, uint256 a1) {
                return (false, "", int256(a0), int256(a1));
            } catch (bytes memory reason) {
                return (true, reason, 0, 0);
            }
        }
        if (op.kind == Kind.Flash) {
            bytes memory data = abi.encode(op.amount0Requested, op.amount1Requested, op.extra0, op.extra1);
            try pool.flash(address(this), op.amount0Requested, op.amount1Requested, data) {
                return (false, "", int256(flashPaid0), int256(flashPaid1));
            } catch (bytes memory reason) {
                return (true, reason, 0, 0);
            }
        }
        try
            pool.collect(address(this), op.tickLower, op.tickUpper, op.amount0Requested, op.amount1Requested)
        returns (uint128 a0, uint128 a1) {
            return (false, "", int256(uint256(a0)), int256(uint256(a1)));
        } catch (bytes memory reason) {
            return (true, reason, 0, 0);
        }
    }

    /// @inheritdoc IUniswapV3MintCallback
    function uniswapV3MintCallback(
        uint256 amount0Owed,
        uint256 amount1Owed,
        bytes calldata
    ) external override {
        _pay(amount0Owed, amount1Owed);
    }

    /// @inheritdoc IUniswapV3SwapCallback
    function uniswapV3SwapCallback(
        int256 amount0Delta,
        int256 amount1Delta,
        bytes calldata
    ) external override {
        _pay(amount0Delta > 0 ? uint256(amount0Delta) : 0, amount1Delta > 0 ? uint256(amount1Delta) : 0);
    }

    /// @inheritdoc IUniswapV3FlashCallback
    function uniswapV3FlashCallback(uint256 fee0, uint256 fee1, bytes calldata data) external override {
        (uint128 amount0, uint128 amount1, uint128 extra0, uint128 extra1) = abi.decode(
            data,
            (uint128, uint128, uint128, uint128)
        );
        (flashPaid0, flashPaid1) = (fee0 + extra0, fee1 + extra1);
        _pay(amount0 + flashPaid0, amount1 + flashPaid1);
    }

    function _pay(uint256 amount0, uint256 amount1) private {
        if (msg.sender != address(activePool)) revert NotThePool(msg.sender);
        if (amount0 > 0) MirrorToken(activePool.token0()).mint(msg.sender, amount0);
        if (amount1 > 0) MirrorToken(activePool.token1()).mint(msg.sender, amount1);
    }

    /// @notice `ticks(t)` of the pool for each of `ticks`, in one call.
    /// @param pool The pool to read.
    /// @param ticks The ticks to read.
    /// @return infos The ticks' states, in the order asked.
    function readTicks(
        IUniswapV3Pool pool,
        int24[] calldata ticks
    ) external view returns (TickInfo[] memory infos) {
        infos = new TickInfo[](ticks.length);
        for (uint256 i = 0; i < ticks.length; ++i) {
            TickInfo memory t = infos[i];
            (
                t.liquidityGross,
                t.liquidityNet,
                t.feeGrowthOutside0X128,
                t.feeGrowthOutside1X128,
                t.tickCumulativeOutside,
                t.secondsPerLiquidityOutsideX128,
                t.secondsOutside,
                t.initialized
            ) = pool.ticks(ticks[i]);
        }
    }

    /// @notice `positions(key)` of this contract's positions over the given ranges, in one call.
    /// @param pool The pool to read.
    /// @param lowers Lower ticks of the ranges.
    /// @param uppers Upper ticks of the ranges, one for each lower tick.
    /// @return infos The positions, in the order asked.
    function readPositions(
        IUniswapV3Pool pool,
        int24[] calldata lowers,
        int24[] calldata uppers
    ) external view returns (PositionInfo[] memory infos) {
        infos = new PositionInfo[](lowers.length);
        for (uint256 i = 0; i < lowers.length; ++i) {
            PositionInfo memory p = infos[i];
            (
                p.liquidity,
                p.feeGrowthInside0LastX128,
                p.feeGrowthInside1LastX128,
                p.tokensOwed0,
                p.tokensOwed1
            ) = pool.positions(keccak256(abi.encodePacked(address(this), lowers[i], uppers[i])));
        }
    }

    /// @notice `tickBitmap(w)` of the pool for each of `wordPositions`, in one call.
    /// @param pool The pool to read.
    /// @param wordPositions The bitmap words to read.
    /// @return words The words, in the order asked.
    function readWords(
        IUniswapV3Pool pool,
        int16[] calldata wordPositions
    ) external view returns (uint256[] memory words) {
        words = new uint256[](wordPositions.length);
        for (uint256 i = 0; i < wordPositions.length; ++i) words[i] = pool.tickBitmap(wordPositions[i]);
    }
}
