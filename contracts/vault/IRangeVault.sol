// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";

/// @title IRangeVault
/// @notice A vault of one Uniswap v3 pool: depositors hold ERC-20 shares of a base range, a one-sided limit range
/// and idle tokens; a keeper may move the ranges within bounds the code enforces; nobody can take depositors' funds.
/// See docs/vault.md for the guards, their bounds and the exploit each one answers.
interface IRangeVault {
    /// @notice Governance parameters, one storage slot. Each field has a hard bound in RangeVault (see setParams).
    struct Params {
        /// @dev Seconds of the TWAP every price check compares against.
        uint32 twapWindow;
        /// @dev Largest |spot tick - TWAP tick| at which deposits and rebalances go through.
        uint16 maxTwapDeviation;
        /// @dev Seconds that must pass between two rebalances.
        uint32 minRebalanceInterval;
        /// @dev Bounds on baseUpper - baseLower, in ticks.
        uint24 minBaseWidth;
        uint24 maxBaseWidth;
        /// @dev Bounds on the limit range's width, in ticks.
        uint24 minLimitWidth;
        uint24 maxLimitWidth;
        /// @dev Largest loss of one rebalance, valued at the TWAP price, in basis points of the vault's value.
        uint16 maxLossPerRebalanceBps;
        /// @dev Capacity of the loss budget, in basis points; it refills linearly over lossWindow.
        uint16 maxLossPerWindowBps;
        uint32 lossWindow;
        /// @dev Token1's target share of the vault's value, in basis points (inventory drift is measured from it).
        uint16 targetToken1Bps;
    }

    /// @notice Names the parameter in ParamOutOfBounds (the fields of Params, and the protocol fee).
    enum Param {
        ProtocolFeeBps,
        TwapWindow,
        MaxTwapDeviation,
        MinRebalanceInterval,
        MinBaseWidth,
        MaxBaseWidth,
        MinLimitWidth,
        MaxLimitWidth,
        MaxLossPerRebalanceBps,
        MaxLossPerWindowBps,
        LossWindow,
        TargetToken1Bps
    }

    /// @notice What the keeper asks for, and the state it priced the request at.
    struct RebalanceParams {
        /// @dev New base range: aligned to the tick spacing, containing the price after the swap.
        int24 baseLower;
        int24 baseUpper;
        /// @dev Width of the limit range, which the vault places next to the price on the side of the token left
        /// over after the base mint: [floor - width, floor] holds token1, [floor + spacing, floor + spacing + width]
        /// holds token0, where floor is the price's tick rounded down to the spacing.
        int24 limitWidth;
        /// @dev The tick the keeper priced; the spot tick must be within tickTolerance of it (<= maxTwapDeviation).
        int24 expectedTick;
        uint24 tickTolerance;
        /// @dev Optional exact-input swap through the pool itself (swapAmountIn = 0: none), bounded by the price limit,
        /// by the TWAP check after it and by the loss budget.
        bool swapZeroForOne;
        uint256 swapAmountIn;
        uint160 swapSqrtPriceLimitX96;
        /// @dev Latest block timestamp at which the call may execute.
        uint256 deadline;
    }

    /// @notice A range and what it holds at the spot price, uncollected fees credited by the pool included.
    struct Range {
        int24 lower;
        int24 upper;
        uint128 liquidity;
        uint256 amount0;
        uint256 amount1;
    }

    /// @notice The vault's hot state: its ranges, the guards' bookkeeping and the fee and pause switches.
    struct Status {
        int24 baseLower;
        int24 baseUpper;
        int24 limitLower;
        int24 limitUpper;
        uint40 lastRebalance;
        /// @dev Loss budget in use at lastRebalance, in millionths of the vault's value; it drains linearly over
        /// lossWindow (RangeVaultLens.getState reports it drained to now).
        uint32 lossUsedPpm;
        uint16 protocolFeeBps;
        bool paused;
    }

    /// @notice Shares minted for tokens received.
    event Deposit(
        address indexed sender,
        address indexed to,
        uint256 shares,
        uint256 amount0,
        uint256 amount1
    );
    /// @notice Shares burnt for tokens paid out.
    event Withdraw(
        address indexed sender,
        address indexed to,
        uint256 shares,
        uint256 amount0,
        uint256 amount1
    );
    /// @notice Ranges moved. Values are in token1 at the TWAP price, before and after; swap amounts are the pool's
    /// deltas (positive: paid by the vault).
    event Rebalance(
        int24 tick,
        int24 twapTick,
        int24 baseLower,
        int24 baseUpper,
        uint128 baseLiquidity,
        int24 limitLower,
        int24 limitUpper,
        uint128 limitLiquidity,
        int256 swapAmount0,
        int256 swapAmount1,
        uint256 valueBefore,
        uint256 valueAfter
    );
    /// @notice Pool fees collected into the vault; the protocol amounts accrue to the treasury.
    event FeesCollected(uint256 fees0, uint256 fees1, uint256 protocolFees0, uint256 protocolFees1);
    /// @notice The treasury took its accrued fees.
    event ProtocolFeesClaimed(address indexed treasury, uint256 amount0, uint256 amount1);
    event ParamsUpdated(Params params);
    event KeeperUpdated(address indexed previousKeeper, address indexed keeper);
    event TreasuryUpdated(address indexed previousTreasury, address indexed treasury);
    event ProtocolFeeUpdated(uint16 previousFeeBps, uint16 feeBps);
    event Paused(address indexed account);
    event Unpaused(address indexed account);
    /// @notice All liquidity pulled back into the vault (and deposits and rebalances paused).
    event EmergencyExit(address indexed account, uint256 amount0, uint256 amount1);

    error Expired(uint256 deadline, uint256 timestamp);
    error DepositsAndRebalancesPaused();
    error InvalidRecipient(address to);
    error ZeroAddress(string what);
    error ZeroDeposit();
    error ZeroShares();
    error TooFewShares(uint256 shares, uint256 minShares);
    error Amount0BelowMin(uint256 amount0, uint256 amount0Min);
    error Amount1BelowMin(uint256 amount1, uint256 amount1Min);
    error FirstDepositTooSmall(uint256 shares, uint256 minimumShares);
    error UnsupportedToken(address token, uint256 expectedReceived, uint256 received);
    error PriceDeviatesFromTwap(int24 tick, int24 twapTick, uint16 maxTwapDeviation);
    error UnexpectedTick(int24 tick, int24 expectedTick, uint24 tickTolerance);
    error ToleranceAboveMaxDeviation(uint24 tickTolerance, uint16 maxTwapDeviation);
    error RebalanceTooSoon(uint256 earliest, uint256 timestamp);
    error TickNotAligned(int24 tick, int24 tickSpacing);
    error RangeOutOfBounds(int24 lower, int24 upper);
    error BaseWidthOutOfBounds(int24 width, uint24 minWidth, uint24 maxWidth);
    error LimitWidthOutOfBounds(int24 width, uint24 minWidth, uint24 maxWidth);
    error BaseExcludesPrice(int24 baseLower, int24 baseUpper, int24 tick);
    error RebalanceLossTooHigh(uint256 lossPpm, uint256 maxLossPpm);
    error LossBudgetExhausted(uint256 usedPpm, uint256 lossPpm, uint256 budgetPpm);
    error NotKeeper(address caller);
    error NotTreasury(address caller);
    error NotPoolCallback(address caller);
    /// @notice A parameter outside its hard bound [min, max].
    error ParamOutOfBounds(Param param, uint256 value, uint256 min, uint256 max);

    /// @notice Deposits both tokens in the proportion the vault holds them and mints shares for what arrived.
    /// @dev Collects pool fees first (they belong to the current holders), checks the spot price against the TWAP,
    /// then pulls the tokens from msg.sender and mints shares from the measured balance increase. The first deposit
    /// locks MINIMUM_SHARES forever. Reverts while paused.
    /// @param amount0Desired Most token0 to put in.
    /// @param amount1Desired Most token1 to put in.
    /// @param amount0Min Least token0 to put in (slippage bound on the proportion).
    /// @param amount1Min Least token1 to put in.
    /// @param minShares Least shares to receive.
    /// @param to Receiver of the shares.
    /// @param deadline Latest block timestamp at which the call may execute.
    /// @return shares Shares minted to `to`.
    /// @return amount0 Token0 taken from msg.sender.
    /// @return amount1 Token1 taken from msg.sender.
    function deposit(
        uint256 amount0Desired,
        uint256 amount1Desired,
        uint256 amount0Min,
        uint256 amount1Min,
        uint256 minShares,
        address to,
        uint256 deadline
    ) external returns (uint256 shares, uint256 amount0, uint256 amount1);

    /// @notice Burns msg.sender's `shares` and pays `to` their part of the idle tokens, of each range and of the
    /// fees collected on the way. Never paused.
    /// @param shares Shares to burn.
    /// @param amount0Min Least token0 to receive.
    /// @param amount1Min Least token1 to receive.
    /// @param to Receiver of the tokens.
    /// @param deadline Latest block timestamp at which the call may execute.
    /// @return amount0 Token0 paid to `to`.
    /// @return amount1 Token1 paid to `to`.
    function withdraw(
        uint256 shares,
        uint256 amount0Min,
        uint256 amount1Min,
        address to,
        uint256 deadline
    ) external returns (uint256 amount0, uint256 amount1);

    /// @notice Keeper only: burns both ranges and collects their fees, optionally swaps through the pool, then mints
    /// the new base range and a one-sided limit range with what it holds. See RebalanceParams and docs/vault.md
    /// for every check.
    /// @param params The new ranges, the optional swap and the state the keeper priced.
    function rebalance(RebalanceParams calldata params) external;

    /// @notice Treasury only: sends the protocol fees accrued so far to the treasury.
    /// @return amount0 Token0 sent.
    /// @return amount1 Token1 sent.
    function claimProtocolFees() external returns (uint256 amount0, uint256 amount1);

    /// @notice Owner only: replaces the parameters (each within its hard bound).
    /// @param params The new parameters.
    function setParams(Params calldata params) external;

    /// @notice Owner only: replaces the keeper, the one account that may rebalance.
    /// @param keeper The new keeper.
    function setKeeper(address keeper) external;

    /// @notice Owner only: replaces the treasury that receives protocol fees.
    /// @param treasury The new treasury.
    function setTreasury(address treasury) external;

    /// @notice Owner only: sets the protocol's share of pool fees (at most MAX_PROTOCOL_FEE_BPS). Fees earned so far
    /// are collected at the old rate first, so the new rate applies only to fees earned after the call.
    /// @param feeBps The new share, in basis points.
    function setProtocolFee(uint16 feeBps) external;

    /// @notice Owner only: stops deposits and rebalances. Withdrawals stay open.
    function pause() external;

    /// @notice Owner only: lets deposits and rebalances resume.
    function unpause() external;

    /// @notice Owner only: burns all liquidity of both ranges into the vault (never anywhere else) and pauses.
    function emergencyExit() external;

    /// @notice The share owners' holdings: idle tokens plus both ranges at the spot price, protocol fees excluded.
    /// @return total0 Token0.
    /// @return total1 Token1.
    function getTotalAmounts() external view returns (uint256 total0, uint256 total1);

    /// @notice The ranges, the guards' bookkeeping and the fee and pause switches, in one slot.
    /// @return status See Status.
    function getStatus() external view returns (Status memory status);

    /// @notice The pool whose liquidity the vault provides.
    /// @return pool The Uniswap v3 pool.
    function pool() external view returns (IUniswapV3Pool);

    /// @notice Pool fees accrued to the treasury and not yet claimed (not owned by share holders).
    /// @return amount Token0.
    function protocolFees0() external view returns (uint128);

    /// @notice Pool fees accrued to the treasury and not yet claimed (not owned by share holders).
    /// @return amount Token1.
    function protocolFees1() external view returns (uint128);

    /// @notice The current parameters.
    /// @return params See Params.
    function getParams() external view returns (Params memory params);
}
