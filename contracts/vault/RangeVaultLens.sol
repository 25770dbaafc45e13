// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";

import {LiquidityAmounts} from "../libraries/LiquidityAmounts.sol";
import {LossBudget} from "../libraries/LossBudget.sol";
import {PriceMath} from "../libraries/PriceMath.sol";
import {TickMath} from "../libraries/TickMath.sol";
import {IRangeVault} from "./IRangeVault.sol";

/// @title RangeVaultLens
/// @notice Read-only views of any RangeVault, each in one call: positions, share price, inventory split and the whole
/// state a keeper needs. Stateless; kept apart from the vault so the vault stays under the EIP-170 code size limit.
contract RangeVaultLens {
    uint256 private constant WAD = 1e18;
    uint256 private constant BPS = 10_000;

    /// @notice Everything a keeper or integrator reads, in one call.
    struct VaultState {
        uint160 sqrtPriceX96;
        int24 tick;
        int24 twapTick;
        uint256 totalSupply;
        /// @dev Holdings of the share owners: idle + both ranges, protocol fees excluded.
        uint256 total0;
        uint256 total1;
        uint256 idle0;
        uint256 idle1;
        IRangeVault.Range base;
        IRangeVault.Range limit;
        uint256 protocolFees0;
        uint256 protocolFees1;
        /// @dev total0 valued at the spot price plus total1, in token1.
        uint256 valueInToken1;
        /// @dev Holdings per 1e18 shares.
        uint256 amount0PerShare;
        uint256 amount1PerShare;
        /// @dev Token1's share of the value (1e18 = 100 %) and its drift from the target share.
        uint256 token1ShareWad;
        int256 inventoryDriftWad;
        IRangeVault.Status status;
        IRangeVault.Params params;
        /// @dev Loss budget in use now (drained to this block), in millionths of the vault's value.
        uint256 lossBudgetUsedPpm;
    }

    /// @notice The vault's whole state at this block.
    /// @param vault A RangeVault.
    /// @return state See VaultState.
    function getState(IRangeVault vault) external view returns (VaultState memory state) {
        IUniswapV3Pool pool = vault.pool();
        (state.sqrtPriceX96, state.tick, , , , , ) = pool.slot0();
        state.status = vault.getStatus();
        state.params = vault.getParams();
        state.twapTick = _twapTick(pool, state.params.twapWindow);
        state.totalSupply = IERC20(address(vault)).totalSupply();
        (state.base, state.limit) = getPositions(vault);
        (state.total0, state.total1) = vault.getTotalAmounts();
        (state.protocolFees0, state.protocolFees1) = (vault.protocolFees0(), vault.protocolFees1());
        state.idle0 = state.total0 - state.base.amount0 - state.limit.amount0;
        state.idle1 = state.total1 - state.base.amount1 - state.limit.amount1;
        (state.valueInToken1, state.token1ShareWad, state.inventoryDriftWad) = _inventory(
            state.total0,
            state.total1,
            state.sqrtPriceX96,
            state.params.targetToken1Bps
        );
        (state.amount0PerShare, state.amount1PerShare) = _perShare(
            state.total0,
            state.total1,
            state.totalSupply
        );
        state.lossBudgetUsedPpm = LossBudget.drained(
            state.status.lossUsedPpm,
            state.status.lastRebalance,
            state.params.maxLossPerWindowBps,
            state.params.lossWindow
        );
    }

    /// @notice Both ranges with their liquidity and holdings at the spot price.
    /// @param vault A RangeVault.
    /// @return base The base range.
    /// @return limit The limit range.
    function getPositions(
        IRangeVault vault
    ) public view returns (IRangeVault.Range memory base, IRangeVault.Range memory limit) {
        IUniswapV3Pool pool = vault.pool();
        IRangeVault.Status memory status = vault.getStatus();
        (uint160 sqrtPriceX96, , , , , , ) = pool.slot0();
        base = _range(pool, address(vault), status.baseLower, status.baseUpper, sqrtPriceX96);
        limit = _range(pool, address(vault), status.limitLower, status.limitUpper, sqrtPriceX96);
    }

    /// @notice Holdings per 1e18 shares.
    /// @param vault A RangeVault.
    /// @return amount0PerShare Token0 per 1e18 shares.
    /// @return amount1PerShare Token1 per 1e18 shares.
    function sharePrice(
        IRangeVault vault
    ) external view returns (uint256 amount0PerShare, uint256 amount1PerShare) {
        (uint256 total0, uint256 total1) = vault.getTotalAmounts();
        return _perShare(total0, total1, IERC20(address(vault)).totalSupply());
    }

    /// @notice The inventory split at the spot price.
    /// @param vault A RangeVault.
    /// @return valueInToken1 Total value in token1.
    /// @return token1ShareWad Token1's share of it (1e18 = 100 %).
    /// @return driftWad token1ShareWad minus the target share.
    function inventory(
        IRangeVault vault
    ) external view returns (uint256 valueInToken1, uint256 token1ShareWad, int256 driftWad) {
        (uint256 total0, uint256 total1) = vault.getTotalAmounts();
        (uint160 sqrtPriceX96, , , , , , ) = vault.pool().slot0();
        return _inventory(total0, total1, sqrtPriceX96, vault.getParams().targetToken1Bps);
    }

    function _range(
        IUniswapV3Pool pool,
        address vault,
        int24 lower,
        int24 upper,
        uint160 sqrtPriceX96
    ) private view returns (IRangeVault.Range memory range) {
        range.lower = lower;
        range.upper = upper;
        (range.liquidity, , , , ) = pool.positions(keccak256(abi.encodePacked(vault, lower, upper)));
        if (range.liquidity == 0) return range;
        (range.amount0, range.amount1) = LiquidityAmounts.getAmountsForLiquidity(
            sqrtPriceX96,
            TickMath.getSqrtRatioAtTick(lower),
            TickMath.getSqrtRatioAtTick(upper),
            range.liquidity
        );
    }

    function _twapTick(IUniswapV3Pool pool, uint32 window) private view returns (int24) {
        uint32[] memory secondsAgos = new uint32[](2);
        secondsAgos[0] = window;
        (int56[] memory cumulatives, ) = pool.observe(secondsAgos);
        return PriceMath.meanTick(cumulatives[0], cumulatives[1], window);
    }

    function _perShare(
        uint256 total0,
        uint256 total1,
        uint256 supply
    ) private pure returns (uint256, uint256) {
        if (supply == 0) return (0, 0);
        return (Math.mulDiv(total0, WAD, supply), Math.mulDiv(total1, WAD, supply));
    }

    function _inventory(
        uint256 total0,
        uint256 total1,
        uint160 sqrtPriceX96,
        uint16 targetToken1Bps
    ) private pure returns (uint256 value, uint256 token1ShareWad, int256 driftWad) {
        value = PriceMath.quote0In1(total0, sqrtPriceX96) + total1;
        if (value == 0) return (0, 0, 0);
        token1ShareWad = Math.mulDiv(total1, WAD, value);
        driftWad = int256(token1ShareWad) - int256((uint256(targetToken1Bps) * WAD) / BPS);
    }
}
