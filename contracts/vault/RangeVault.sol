// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Ownable, Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";
import {IUniswapV3MintCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3MintCallback.sol";
import {IUniswapV3SwapCallback} from "@uniswap/v3-core/contracts/interfaces/callback/IUniswapV3SwapCallback.sol";

import {LiquidityAmounts} from "../libraries/LiquidityAmounts.sol";
import {LossBudget} from "../libraries/LossBudget.sol";
import {PoolOracle} from "../libraries/PoolOracle.sol";
import {PriceMath} from "../libraries/PriceMath.sol";
import {ShareMath} from "../libraries/ShareMath.sol";
import {TickMath} from "../libraries/TickMath.sol";
import {IRangeVault} from "./IRangeVault.sol";

/// @title RangeVault
/// @notice Uniswap v3 liquidity vault with a base and a one-sided limit range, proportional ERC-20 shares with
/// ERC-2612 permit, and a keeper whose every move is bounded in code. Not upgradeable.
/// @dev Roles: the owner (two-step) sets bounded parameters, pauses deposits/rebalances and may pull all liquidity
/// back into the vault; the keeper may only rebalance; the treasury may only claim protocol fees. No function sends
/// the share owners' tokens anywhere but to a share owner's chosen recipient or into the pool.
/// Invariants: token balances >= accrued protocol fees; every holder's amounts per share only change through pool
/// trades, fees and rebalances, never through another holder's deposit or withdrawal (rounding favours the vault).
contract RangeVault is
    IRangeVault,
    IUniswapV3MintCallback,
    IUniswapV3SwapCallback,
    ERC20Permit,
    Ownable2Step,
    ReentrancyGuardTransient
{
    using SafeERC20 for IERC20;

    /// @notice Shares minted to a dead address by the first deposit, so a donation cannot make a share so valuable
    /// that later deposits round down to nothing.
    uint256 public constant MINIMUM_SHARES = 1e6;
    address public constant LOCKED_SHARES_HOLDER = address(0xdead);

    /// @notice Hard bounds on every parameter; governance can only move inside them.
    uint16 public constant MAX_PROTOCOL_FEE_BPS = 2_000;
    uint32 public constant MIN_TWAP_WINDOW = 60;
    uint32 public constant MAX_TWAP_WINDOW = 3_600;
    uint16 public constant MAX_TWAP_DEVIATION = 500;
    uint32 public constant MIN_REBALANCE_INTERVAL = 60;
    uint32 public constant MAX_REBALANCE_INTERVAL = 7 days;
    uint16 public constant MAX_LOSS_PER_REBALANCE_BPS = 100;
    uint16 public constant MAX_LOSS_PER_WINDOW_BPS = 500;
    uint32 public constant MIN_LOSS_WINDOW = 1 hours;
    uint32 public constant MAX_LOSS_WINDOW = 30 days;

    uint256 private constant BPS = 10_000;

    // Public immutables keep the getter names of Uniswap's and Charm's interfaces (pool(), token0(), ...).
    // solhint-disable immutable-vars-naming
    IUniswapV3Pool public immutable pool;
    IERC20 public immutable token0;
    IERC20 public immutable token1;
    int24 public immutable tickSpacing;
    // solhint-enable immutable-vars-naming
    int24 private immutable MIN_USABLE_TICK;
    int24 private immutable MAX_USABLE_TICK;

    /// @dev Hot state, one slot: read by every deposit, withdrawal and rebalance.
    Status private _layout;
    Params private _params;
    /// @dev Accrued to the treasury, not owned by share holders. Invariant: <= the vault's token balances.
    uint128 public protocolFees0;
    uint128 public protocolFees1;
    address public keeper;
    address public treasury;

    /// @param pool_ The Uniswap v3 pool (the factory checks it is a canonical, initialised pool).
    /// @param name_ Share token name.
    /// @param symbol_ Share token symbol.
    /// @param owner_ Governance (should be a timelock or a multisig).
    /// @param keeper_ The only account that may rebalance.
    /// @param treasury_ Receiver of protocol fees.
    /// @param protocolFeeBps_ Protocol share of pool fees, at most MAX_PROTOCOL_FEE_BPS.
    /// @param params_ Initial parameters, each within its hard bound.
    constructor(
        IUniswapV3Pool pool_,
        string memory name_,
        string memory symbol_,
        address owner_,
        address keeper_,
        address treasury_,
        uint16 protocolFeeBps_,
        Params memory params_
    ) ERC20(name_, symbol_) ERC20Permit(name_) Ownable(owner_) {
        if (address(pool_) == address(0)) revert ZeroAddress("pool");
        if (keeper_ == address(0)) revert ZeroAddress("keeper");
        if (treasury_ == address(0)) revert ZeroAddress("treasury");
        if (protocolFeeBps_ > MAX_PROTOCOL_FEE_BPS) {
            revert ParamOutOfBounds(Param.ProtocolFeeBps, protocolFeeBps_, 0, MAX_PROTOCOL_FEE_BPS);
        }
        pool = pool_;
        token0 = IERC20(pool_.token0());
        token1 = IERC20(pool_.token1());
        int24 spacing = pool_.tickSpacing();
        tickSpacing = spacing;
        MIN_USABLE_TICK = (TickMath.MIN_TICK / spacing) * spacing;
        MAX_USABLE_TICK = (TickMath.MAX_TICK / spacing) * spacing;
        keeper = keeper_;
        treasury = treasury_;
        _layout.protocolFeeBps = protocolFeeBps_;
        _setParams(params_, spacing);
    }

    modifier onlyKeeper() {
        if (msg.sender != keeper) revert NotKeeper(msg.sender);
        _;
    }

    modifier checkDeadline(uint256 deadline) {
        if (block.timestamp > deadline) revert Expired(deadline, block.timestamp);
        _;
    }

    // ---------------------------------------------------------------- deposits and withdrawals

    /// @inheritdoc IRangeVault
    function deposit(
        uint256 amount0Desired,
        uint256 amount1Desired,
        uint256 amount0Min,
        uint256 amount1Min,
        uint256 minShares,
        address to,
        uint256 deadline
    )
        external
        nonReentrant
        checkDeadline(deadline)
        returns (uint256 shares, uint256 amount0, uint256 amount1)
    {
        if (to == address(0) || to == address(this)) revert InvalidRecipient(to);
        if (amount0Desired == 0 && amount1Desired == 0) revert ZeroDeposit();
        uint256 balance0;
        uint256 balance1;
        (shares, amount0, amount1, balance0, balance1) = _quoteDeposit(amount0Desired, amount1Desired);
        if (shares == 0) revert ZeroShares();
        if (shares < minShares) revert TooFewShares(shares, minShares);
        if (amount0 < amount0Min) revert Amount0BelowMin(amount0, amount0Min);
        if (amount1 < amount1Min) revert Amount1BelowMin(amount1, amount1Min);

        _pull(token0, amount0, balance0);
        _pull(token1, amount1, balance1);
        _mint(to, shares);
        emit Deposit(msg.sender, to, shares, amount0, amount1);
    }

    /// @dev Shares and amounts of a deposit, and the balances the pull is measured from. The first deposit sets the
    /// proportion (nothing is held, so no price enters) and locks MINIMUM_SHARES. Later ones check the price against
    /// the TWAP, collect the fees earned so far (they belong to the current holders) and are priced against
    /// everything held.
    function _quoteDeposit(
        uint256 amount0Desired,
        uint256 amount1Desired
    ) private returns (uint256 shares, uint256 amount0, uint256 amount1, uint256 balance0, uint256 balance1) {
        Status memory s = _layout;
        if (s.paused) revert DepositsAndRebalancesPaused();
        uint256 supply = totalSupply();
        if (supply == 0) {
            (balance0, balance1) = _balances();
            shares = Math.max(amount0Desired, amount1Desired);
            if (shares <= MINIMUM_SHARES) revert FirstDepositTooSmall(shares, MINIMUM_SHARES);
            _mint(LOCKED_SHARES_HOLDER, MINIMUM_SHARES);
            return (shares - MINIMUM_SHARES, amount0Desired, amount1Desired, balance0, balance1);
        }
        uint256 total0;
        uint256 total1;
        (total0, total1, balance0, balance1) = _holdingsForDeposit(s);
        (shares, amount0, amount1) = ShareMath.sharesForDeposit(
            total0,
            total1,
            supply,
            amount0Desired,
            amount1Desired
        );
    }

    /// @dev Everything the holders own at the spot price (checked against the TWAP), after collecting fees, and the
    /// token balances.
    function _holdingsForDeposit(
        Status memory s
    ) private returns (uint256 total0, uint256 total1, uint256 balance0, uint256 balance1) {
        (uint160 sqrtPriceX96, int24 tick, uint16 index, uint16 cardinality) = _slot0();
        Params memory p = _params;
        _checkTwap(tick, index, cardinality, p.twapWindow, p.maxTwapDeviation);
        // [amount0, amount1, fees0, fees1] of both ranges.
        uint256[4] memory sums;
        _pokeRange(sums, s.baseLower, s.baseUpper, sqrtPriceX96);
        _pokeRange(sums, s.limitLower, s.limitUpper, sqrtPriceX96);
        _accrueProtocolFees(sums[2], sums[3], s.protocolFeeBps);
        (balance0, balance1) = _balances();
        (uint256 idle0, uint256 idle1) = _idle(balance0, balance1);
        (total0, total1) = (sums[0] + idle0, sums[1] + idle1);
    }

    /// @inheritdoc IRangeVault
    function withdraw(
        uint256 shares,
        uint256 amount0Min,
        uint256 amount1Min,
        address to,
        uint256 deadline
    ) external nonReentrant checkDeadline(deadline) returns (uint256 amount0, uint256 amount1) {
        if (to == address(0) || to == address(this)) revert InvalidRecipient(to);
        if (shares == 0) revert ZeroShares();
        uint256 supply = totalSupply();
        _burn(msg.sender, shares);

        // Idle tokens are measured before any collect, so collected amounts are not counted twice.
        (uint256 idle0, uint256 idle1) = _balances();
        (idle0, idle1) = _idle(idle0, idle1);
        amount0 = ShareMath.proRata(idle0, shares, supply);
        amount1 = ShareMath.proRata(idle1, shares, supply);

        (uint256 ranges0, uint256 ranges1) = _burnShares(shares, supply);
        amount0 += ranges0;
        amount1 += ranges1;

        if (amount0 < amount0Min) revert Amount0BelowMin(amount0, amount0Min);
        if (amount1 < amount1Min) revert Amount1BelowMin(amount1, amount1Min);
        if (amount0 != 0) token0.safeTransfer(to, amount0);
        if (amount1 != 0) token1.safeTransfer(to, amount1);
        emit Withdraw(msg.sender, to, shares, amount0, amount1);
    }

    /// @dev The withdrawn share of both ranges: burnt principal plus that share of all fees collected on the way
    /// (the rest of the fees stays with the remaining holders).
    function _burnShares(uint256 shares, uint256 supply) private returns (uint256 amount0, uint256 amount1) {
        Status memory s = _layout;
        (uint256 base0, uint256 base1, uint256 fees0, uint256 fees1) = _burnShare(
            s.baseLower,
            s.baseUpper,
            shares,
            supply
        );
        (uint256 limit0, uint256 limit1, uint256 limitFees0, uint256 limitFees1) = _burnShare(
            s.limitLower,
            s.limitUpper,
            shares,
            supply
        );
        (fees0, fees1) = _accrueProtocolFees(fees0 + limitFees0, fees1 + limitFees1, s.protocolFeeBps);
        amount0 = base0 + limit0 + ShareMath.proRata(fees0, shares, supply);
        amount1 = base1 + limit1 + ShareMath.proRata(fees1, shares, supply);
    }

    // ---------------------------------------------------------------- rebalance

    /// @dev Running amounts of one rebalance, kept in memory to stay within the stack.
    struct Book {
        int24 twapTick;
        /// @dev The spot price: as the keeper found it, then after the swap.
        int24 tick;
        uint160 sqrtPriceX96;
        uint160 twapSqrtPriceX96;
        /// @dev Fees collected from the old ranges.
        uint256 fees0;
        uint256 fees1;
        /// @dev Principal the old ranges paid out (at the spot price).
        uint256 burnt0;
        uint256 burnt1;
        /// @dev Holdings of the ranges at the TWAP price: the old ones, then the new ones.
        uint256 value0;
        uint256 value1;
        /// @dev Idle tokens owned by the holders.
        uint256 balance0;
        uint256 balance1;
        int256 swapAmount0;
        int256 swapAmount1;
        uint128 baseLiquidity;
        uint128 limitLiquidity;
        uint256 valueBefore;
        uint256 valueAfter;
    }

    /// @inheritdoc IRangeVault
    function rebalance(
        RebalanceParams calldata r
    ) external nonReentrant onlyKeeper checkDeadline(r.deadline) {
        Status memory s = _layout;
        Params memory p = _params;
        Book memory book;
        _checkRebalance(book, r, s, p);

        // 1. Burn and collect both ranges; value everything at the TWAP price.
        _exitRange(book, s.baseLower, s.baseUpper);
        _exitRange(book, s.limitLower, s.limitUpper);
        _accrueProtocolFees(book.fees0, book.fees1, s.protocolFeeBps);
        (book.balance0, book.balance1) = _balances();
        (book.balance0, book.balance1) = _idle(book.balance0, book.balance1);
        // The old ranges count at the TWAP price instead of the principal they paid out at the spot price, so
        // rebalancing at a displaced price shows up as the loss it locks in.
        book.valueBefore = _valueAtTwap(
            book.twapSqrtPriceX96,
            book.balance0 - book.burnt0 + book.value0,
            book.balance1 - book.burnt1 + book.value1
        );

        // 2. Optional swap through the pool itself; the price the mints use is checked after it, right before minting.
        // Without a swap the price is the one checked above: since then only the pool ran, and token code only inside
        // the pool's locked calls, where nothing can swap.
        if (r.swapAmountIn != 0) {
            _swap(book, r);
            (book.sqrtPriceX96, book.tick, , ) = _slot0();
            _checkDeviation(book.tick, book.twapTick, p.maxTwapDeviation);
        }
        if (book.tick < r.baseLower || book.tick >= r.baseUpper) {
            revert BaseExcludesPrice(r.baseLower, r.baseUpper, book.tick);
        }
        book.value0 = 0;
        book.value1 = 0;
        (s.baseLower, s.baseUpper) = (r.baseLower, r.baseUpper);
        book.baseLiquidity = _enterRange(book, r.baseLower, r.baseUpper, true, false);
        bool token0Only;
        (s.limitLower, s.limitUpper, token0Only) = _limitRange(book, r.limitWidth);
        book.limitLiquidity = _enterRange(book, s.limitLower, s.limitUpper, false, token0Only);
        book.valueAfter = _valueAtTwap(
            book.twapSqrtPriceX96,
            book.balance0 + book.value0,
            book.balance1 + book.value1
        );

        // 3. The loss budget, then the new state.
        s.lossUsedPpm = _chargeLoss(s, p, book.valueBefore, book.valueAfter);
        s.lastRebalance = uint40(block.timestamp);
        _layout = s;
        _emitRebalance(book, s);
    }

    /// @dev Every check on the keeper's request that needs no tokens moved; records the TWAP tick in the book.
    function _checkRebalance(
        Book memory book,
        RebalanceParams calldata r,
        Status memory s,
        Params memory p
    ) private view {
        if (s.paused) revert DepositsAndRebalancesPaused();
        uint256 earliest = uint256(s.lastRebalance) + p.minRebalanceInterval;
        if (block.timestamp < earliest) revert RebalanceTooSoon(earliest, block.timestamp);
        _checkRange(r.baseLower, r.baseUpper);
        _checkWidth(r.baseUpper - r.baseLower, p.minBaseWidth, p.maxBaseWidth, true);
        _checkWidth(r.limitWidth, p.minLimitWidth, p.maxLimitWidth, false);
        if (r.tickTolerance > p.maxTwapDeviation) {
            revert ToleranceAboveMaxDeviation(r.tickTolerance, p.maxTwapDeviation);
        }
        // The state the keeper priced: spot near its expected tick, and spot near the TWAP.
        (uint160 sqrtPriceX96, int24 tick, uint16 index, uint16 cardinality) = _slot0();
        if (_distance(tick, r.expectedTick) > r.tickTolerance) {
            revert UnexpectedTick(tick, r.expectedTick, r.tickTolerance);
        }
        (book.sqrtPriceX96, book.tick) = (sqrtPriceX96, tick);
        book.twapTick = _checkTwap(tick, index, cardinality, p.twapWindow, p.maxTwapDeviation);
        book.twapSqrtPriceX96 = TickMath.getSqrtRatioAtTick(book.twapTick);
    }

    function _swap(Book memory book, RebalanceParams calldata r) private {
        (book.swapAmount0, book.swapAmount1) = pool.swap(
            address(this),
            r.swapZeroForOne,
            SafeCast.toInt256(r.swapAmountIn),
            r.swapSqrtPriceLimitX96,
            ""
        );
        book.balance0 = SafeCast.toUint256(SafeCast.toInt256(book.balance0) - book.swapAmount0);
        book.balance1 = SafeCast.toUint256(SafeCast.toInt256(book.balance1) - book.swapAmount1);
    }

    function _emitRebalance(Book memory book, Status memory s) private {
        emit Rebalance(
            book.tick,
            book.twapTick,
            s.baseLower,
            s.baseUpper,
            book.baseLiquidity,
            s.limitLower,
            s.limitUpper,
            book.limitLiquidity,
            book.swapAmount0,
            book.swapAmount1,
            book.valueBefore,
            book.valueAfter
        );
    }

    /// @notice Pays the pool what a mint owes. Only the pool, and only inside one of this vault's own calls.
    /// @param amount0Owed Token0 owed.
    /// @param amount1Owed Token1 owed.
    function uniswapV3MintCallback(
        uint256 amount0Owed,
        uint256 amount1Owed,
        bytes calldata
    ) external override {
        _checkCallback();
        if (amount0Owed != 0) token0.safeTransfer(msg.sender, amount0Owed);
        if (amount1Owed != 0) token1.safeTransfer(msg.sender, amount1Owed);
    }

    /// @notice Pays the pool the input of a rebalance swap. Only the pool, and only inside a rebalance.
    /// @param amount0Delta Pool's token0 delta (positive: owed to the pool).
    /// @param amount1Delta Pool's token1 delta (positive: owed to the pool).
    function uniswapV3SwapCallback(
        int256 amount0Delta,
        int256 amount1Delta,
        bytes calldata
    ) external override {
        _checkCallback();
        if (amount0Delta > 0) token0.safeTransfer(msg.sender, uint256(amount0Delta));
        if (amount1Delta > 0) token1.safeTransfer(msg.sender, uint256(amount1Delta));
    }

    // ---------------------------------------------------------------- governance, treasury

    /// @inheritdoc IRangeVault
    function claimProtocolFees() external nonReentrant returns (uint256 amount0, uint256 amount1) {
        if (msg.sender != treasury) revert NotTreasury(msg.sender);
        (amount0, amount1) = (protocolFees0, protocolFees1);
        (protocolFees0, protocolFees1) = (0, 0);
        if (amount0 != 0) token0.safeTransfer(msg.sender, amount0);
        if (amount1 != 0) token1.safeTransfer(msg.sender, amount1);
        emit ProtocolFeesClaimed(msg.sender, amount0, amount1);
    }

    /// @inheritdoc IRangeVault
    function setParams(Params calldata params) external nonReentrant onlyOwner {
        _setParams(params, tickSpacing);
    }

    /// @inheritdoc IRangeVault
    function setKeeper(address keeper_) external nonReentrant onlyOwner {
        if (keeper_ == address(0)) revert ZeroAddress("keeper");
        emit KeeperUpdated(keeper, keeper_);
        keeper = keeper_;
    }

    /// @inheritdoc IRangeVault
    function setTreasury(address treasury_) external nonReentrant onlyOwner {
        if (treasury_ == address(0)) revert ZeroAddress("treasury");
        emit TreasuryUpdated(treasury, treasury_);
        treasury = treasury_;
    }

    /// @inheritdoc IRangeVault
    function setProtocolFee(uint16 feeBps) external nonReentrant onlyOwner {
        if (feeBps > MAX_PROTOCOL_FEE_BPS)
            revert ParamOutOfBounds(Param.ProtocolFeeBps, feeBps, 0, MAX_PROTOCOL_FEE_BPS);
        Status memory s = _layout;
        // Fees earned so far are taken at the old rate: the pool credits them (zero burns) and they are collected.
        (uint160 sqrtPriceX96, , , ) = _slot0();
        uint256[4] memory sums;
        _pokeRange(sums, s.baseLower, s.baseUpper, sqrtPriceX96);
        _pokeRange(sums, s.limitLower, s.limitUpper, sqrtPriceX96);
        _accrueProtocolFees(sums[2], sums[3], s.protocolFeeBps);
        emit ProtocolFeeUpdated(s.protocolFeeBps, feeBps);
        _layout.protocolFeeBps = feeBps;
    }

    /// @inheritdoc IRangeVault
    function pause() external nonReentrant onlyOwner {
        _layout.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc IRangeVault
    function unpause() external nonReentrant onlyOwner {
        _layout.paused = false;
        emit Unpaused(msg.sender);
    }

    /// @inheritdoc IRangeVault
    function emergencyExit() external nonReentrant onlyOwner {
        // All of both ranges: the withdrawn share is the whole supply. Fees stay with the holders (minus the
        // protocol's share), the tokens stay in the vault.
        uint256 supply = totalSupply();
        (uint256 amount0, uint256 amount1) = supply == 0 ? (0, 0) : _burnShares(supply, supply);
        _layout.paused = true;
        emit Paused(msg.sender);
        emit EmergencyExit(msg.sender, amount0, amount1);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IRangeVault
    function getTotalAmounts() public view returns (uint256 total0, uint256 total1) {
        (uint160 sqrtPriceX96, , , ) = _slot0();
        (total0, total1) = _positionAmounts(_layout, sqrtPriceX96);
        (uint256 idle0, uint256 idle1) = _balances();
        (idle0, idle1) = _idle(idle0, idle1);
        (total0, total1) = (total0 + idle0, total1 + idle1);
    }

    /// @inheritdoc IRangeVault
    function getStatus() external view returns (Status memory) {
        return _layout;
    }

    /// @inheritdoc IRangeVault
    function getParams() external view returns (Params memory) {
        return _params;
    }

    // ---------------------------------------------------------------- internals: pool

    function _positionKey(int24 lower, int24 upper) private view returns (bytes32) {
        return keccak256(abi.encodePacked(address(this), lower, upper));
    }

    function _liquidityOf(int24 lower, int24 upper) private view returns (uint128 liquidity) {
        (liquidity, , , , ) = pool.positions(_positionKey(lower, upper));
    }

    /// @dev Burns `liquidity` of a range (zero: only makes the pool credit its fees) and collects everything the
    /// range is owed: returns the principal and, apart, the fees.
    function _burnAndCollect(
        int24 lower,
        int24 upper,
        uint128 liquidity
    ) private returns (uint256 burnt0, uint256 burnt1, uint256 fees0, uint256 fees1) {
        (burnt0, burnt1) = pool.burn(lower, upper, liquidity);
        (uint256 collected0, uint256 collected1) = pool.collect(
            address(this),
            lower,
            upper,
            type(uint128).max,
            type(uint128).max
        );
        (fees0, fees1) = (collected0 - burnt0, collected1 - burnt1);
    }

    /// @dev Adds a range's holdings at `sqrtPriceX96` (rounded up) to sums[0..1] and its fees to sums[2..3], after making
    /// the pool credit the fees (a zero burn) and collecting them if there are any.
    function _pokeRange(uint256[4] memory sums, int24 lower, int24 upper, uint160 sqrtPriceX96) private {
        bytes32 key = _positionKey(lower, upper);
        (uint128 liquidity, , , , ) = pool.positions(key);
        if (liquidity == 0) return;
        pool.burn(lower, upper, 0);
        (, , , uint128 owed0, uint128 owed1) = pool.positions(key);
        if (owed0 != 0 || owed1 != 0) {
            (uint256 fees0, uint256 fees1) = pool.collect(
                address(this),
                lower,
                upper,
                type(uint128).max,
                type(uint128).max
            );
            sums[2] += fees0;
            sums[3] += fees1;
        }
        (uint256 amount0, uint256 amount1) = LiquidityAmounts.getAmountsForLiquidity(
            sqrtPriceX96,
            TickMath.getSqrtRatioAtTick(lower),
            TickMath.getSqrtRatioAtTick(upper),
            liquidity
        );
        // What the range really holds lies in [amount, amount + 1): deposits are priced at the upper end, so a deposit
        // never buys a fraction of a wei it did not pay for.
        sums[0] += amount0 == 0 ? 0 : amount0 + 1;
        sums[1] += amount1 == 0 ? 0 : amount1 + 1;
    }

    /// @dev Burns `shares / supply` of a range's liquidity (rounded down) and collects everything it is owed.
    function _burnShare(
        int24 lower,
        int24 upper,
        uint256 shares,
        uint256 supply
    ) private returns (uint256 amount0, uint256 amount1, uint256 fees0, uint256 fees1) {
        uint128 liquidity = _liquidityOf(lower, upper);
        if (liquidity == 0) return (0, 0, 0, 0);
        return _burnAndCollect(lower, upper, uint128(ShareMath.proRata(liquidity, shares, supply)));
    }

    /// @dev Burns all of a range and collects everything it is owed.
    function _burnAll(
        int24 lower,
        int24 upper
    ) private returns (uint128 liquidity, uint256 burnt0, uint256 burnt1, uint256 fees0, uint256 fees1) {
        liquidity = _liquidityOf(lower, upper);
        if (liquidity == 0) return (0, 0, 0, 0, 0);
        (burnt0, burnt1, fees0, fees1) = _burnAndCollect(lower, upper, liquidity);
    }

    /// @dev _burnAll into the book: fees, principal, and the range's holdings at the TWAP price.
    function _exitRange(Book memory book, int24 lower, int24 upper) private {
        (uint128 liquidity, uint256 burnt0, uint256 burnt1, uint256 fees0, uint256 fees1) = _burnAll(
            lower,
            upper
        );
        if (liquidity == 0) return;
        book.fees0 += fees0;
        book.fees1 += fees1;
        book.burnt0 += burnt0;
        book.burnt1 += burnt1;
        (uint256 twap0, uint256 twap1) = LiquidityAmounts.getAmountsForLiquidity(
            book.twapSqrtPriceX96,
            TickMath.getSqrtRatioAtTick(lower),
            TickMath.getSqrtRatioAtTick(upper),
            liquidity
        );
        book.value0 += twap0;
        book.value1 += twap1;
    }

    /// @dev Mints the most liquidity the book's balances allow on [lower, upper] (the limit range: of one token,
    /// token0 when `token0Only`), pays for it, and adds the range's holdings at the TWAP price to book.value*.
    function _enterRange(
        Book memory book,
        int24 lower,
        int24 upper,
        bool isBase,
        bool token0Only
    ) private returns (uint128 liquidity) {
        uint160 sqrtLower = TickMath.getSqrtRatioAtTick(lower);
        uint160 sqrtUpper = TickMath.getSqrtRatioAtTick(upper);
        if (isBase) {
            liquidity = LiquidityAmounts.getLiquidityForAmounts(
                book.sqrtPriceX96,
                sqrtLower,
                sqrtUpper,
                book.balance0,
                book.balance1
            );
        } else if (token0Only) {
            liquidity = LiquidityAmounts.getLiquidityForAmount0(sqrtLower, sqrtUpper, book.balance0);
        } else {
            liquidity = LiquidityAmounts.getLiquidityForAmount1(sqrtLower, sqrtUpper, book.balance1);
        }
        if (liquidity == 0) return 0;
        (uint256 paid0, uint256 paid1) = pool.mint(address(this), lower, upper, liquidity, "");
        book.balance0 -= paid0;
        book.balance1 -= paid1;
        (uint256 twap0, uint256 twap1) = LiquidityAmounts.getAmountsForLiquidity(
            book.twapSqrtPriceX96,
            sqrtLower,
            sqrtUpper,
            liquidity
        );
        book.value0 += twap0;
        book.value1 += twap1;
    }

    /// @dev The limit range next to `tick` on the side of the token left over, by value at the spot price:
    /// token0 left over sells above the price, token1 below.
    function _limitRange(
        Book memory book,
        int24 width
    ) private view returns (int24 lower, int24 upper, bool token0Only) {
        int24 spacing = tickSpacing;
        int24 floor = book.tick / spacing;
        if (book.tick < 0 && book.tick % spacing != 0) --floor;
        floor *= spacing;
        token0Only = PriceMath.quote0In1(book.balance0, book.sqrtPriceX96) > book.balance1;
        (lower, upper) = token0Only ? (floor + spacing, floor + spacing + width) : (floor - width, floor);
        _checkRange(lower, upper);
    }

    /// @dev What both ranges hold at `sqrtPriceX96`. Fees earned since the vault last touched the pool are not in
    /// it: the pool credits them only when poked, and every call of the vault that pokes also collects.
    function _positionAmounts(
        Status memory s,
        uint160 sqrtPriceX96
    ) private view returns (uint256 amount0, uint256 amount1) {
        (amount0, amount1) = _amountsOf(s.baseLower, s.baseUpper, sqrtPriceX96);
        (uint256 limit0, uint256 limit1) = _amountsOf(s.limitLower, s.limitUpper, sqrtPriceX96);
        (amount0, amount1) = (amount0 + limit0, amount1 + limit1);
    }

    function _amountsOf(
        int24 lower,
        int24 upper,
        uint160 sqrtPriceX96
    ) private view returns (uint256 amount0, uint256 amount1) {
        uint128 liquidity = _liquidityOf(lower, upper);
        if (liquidity == 0) return (0, 0);
        return
            LiquidityAmounts.getAmountsForLiquidity(
                sqrtPriceX96,
                TickMath.getSqrtRatioAtTick(lower),
                TickMath.getSqrtRatioAtTick(upper),
                liquidity
            );
    }

    /// @dev The spot price and tick, and where the pool's latest observation is (what the TWAP read starts from).
    function _slot0()
        private
        view
        returns (uint160 sqrtPriceX96, int24 tick, uint16 observationIndex, uint16 observationCardinality)
    {
        (sqrtPriceX96, tick, observationIndex, observationCardinality, , , ) = pool.slot0();
    }

    /// @dev Reverts unless |tick - TWAP| <= maxDeviation; returns the TWAP tick (PoolOracle: exactly the pool's
    /// observe, read more cheaply).
    function _checkTwap(
        int24 tick,
        uint16 observationIndex,
        uint16 observationCardinality,
        uint32 window,
        uint16 maxDeviation
    ) private view returns (int24 twapTick) {
        twapTick = PoolOracle.meanTick(pool, tick, observationIndex, observationCardinality, window);
        _checkDeviation(tick, twapTick, maxDeviation);
    }

    function _checkDeviation(int24 tick, int24 twapTick, uint16 maxDeviation) private pure {
        if (_distance(tick, twapTick) > maxDeviation)
            revert PriceDeviatesFromTwap(tick, twapTick, maxDeviation);
    }

    // ---------------------------------------------------------------- internals: accounting

    function _balances() private view returns (uint256, uint256) {
        return (token0.balanceOf(address(this)), token1.balanceOf(address(this)));
    }

    /// @dev Balances minus what is owed to the treasury.
    function _idle(uint256 balance0, uint256 balance1) private view returns (uint256, uint256) {
        return (balance0 - protocolFees0, balance1 - protocolFees1);
    }

    /// @dev Takes the protocol's share of newly collected fees (rounded down, in the holders' favour) and returns
    /// what is left to the holders.
    function _accrueProtocolFees(
        uint256 fees0,
        uint256 fees1,
        uint16 feeBps
    ) private returns (uint256 net0, uint256 net1) {
        if (fees0 == 0 && fees1 == 0) return (0, 0);
        uint256 cut0 = Math.mulDiv(fees0, feeBps, BPS);
        uint256 cut1 = Math.mulDiv(fees1, feeBps, BPS);
        if (cut0 != 0 || cut1 != 0) {
            protocolFees0 += SafeCast.toUint128(cut0);
            protocolFees1 += SafeCast.toUint128(cut1);
        }
        emit FeesCollected(fees0, fees1, cut0, cut1);
        return (fees0 - cut0, fees1 - cut1);
    }

    /// @dev Pulls `amount` from msg.sender and requires the balance to grow by exactly that much: fee-on-transfer and
    /// rebasing tokens would otherwise mint shares for tokens that never arrived.
    function _pull(IERC20 token, uint256 amount, uint256 balanceBefore) private {
        if (amount == 0) return;
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - balanceBefore;
        if (received != amount) revert UnsupportedToken(address(token), amount, received);
    }

    function _valueAtTwap(
        uint160 twapSqrtPriceX96,
        uint256 amount0,
        uint256 amount1
    ) private pure returns (uint256) {
        return PriceMath.quote0In1(amount0, twapSqrtPriceX96) + amount1;
    }

    /// @dev The loss budget: one call may lose at most maxLossPerRebalanceBps of its value at the TWAP price; the
    /// budget holds at most maxLossPerWindowBps and drains linearly over lossWindow, so over any span T a keeper
    /// can lose at most maxLossPerWindowBps * (1 + T / lossWindow).
    function _chargeLoss(
        Status memory s,
        Params memory p,
        uint256 valueBefore,
        uint256 valueAfter
    ) private view returns (uint32) {
        uint256 used = LossBudget.drained(
            s.lossUsedPpm,
            s.lastRebalance,
            p.maxLossPerWindowBps,
            p.lossWindow
        );
        if (valueAfter >= valueBefore || valueBefore == 0) return uint32(used);
        uint256 lossPpm = Math.mulDiv(
            valueBefore - valueAfter,
            LossBudget.PPM,
            valueBefore,
            Math.Rounding.Ceil
        );
        uint256 maxPerCall = uint256(p.maxLossPerRebalanceBps) * LossBudget.PPM_PER_BPS;
        if (lossPpm > maxPerCall) revert RebalanceLossTooHigh(lossPpm, maxPerCall);
        uint256 budget = uint256(p.maxLossPerWindowBps) * LossBudget.PPM_PER_BPS;
        if (used + lossPpm > budget) revert LossBudgetExhausted(used, lossPpm, budget);
        return uint32(used + lossPpm);
    }

    // ---------------------------------------------------------------- internals: checks

    function _checkCallback() private view {
        // The pool only calls back whoever called it, and this vault calls it only inside its own guarded entry points.
        if (msg.sender != address(pool) || !_reentrancyGuardEntered()) revert NotPoolCallback(msg.sender);
    }

    function _checkRange(int24 lower, int24 upper) private view {
        int24 spacing = tickSpacing;
        if (lower % spacing != 0) revert TickNotAligned(lower, spacing);
        if (upper % spacing != 0) revert TickNotAligned(upper, spacing);
        if (lower >= upper || lower < MIN_USABLE_TICK || upper > MAX_USABLE_TICK)
            revert RangeOutOfBounds(lower, upper);
    }

    function _checkWidth(int24 width, uint24 minWidth, uint24 maxWidth, bool isBase) private view {
        if (width < int24(minWidth) || width > int24(maxWidth) || width % tickSpacing != 0) {
            if (isBase) revert BaseWidthOutOfBounds(width, minWidth, maxWidth);
            revert LimitWidthOutOfBounds(width, minWidth, maxWidth);
        }
    }

    function _distance(int24 a, int24 b) private pure returns (uint256) {
        return a > b ? uint256(int256(a) - b) : uint256(int256(b) - a);
    }

    function _setParams(Params memory p, int24 spacing) private {
        uint256 fullWidth = uint256(uint24(2 * ((TickMath.MAX_TICK / spacing) * spacing)));
        uint256 step = uint256(uint24(spacing));
        _bound(Param.TwapWindow, p.twapWindow, MIN_TWAP_WINDOW, MAX_TWAP_WINDOW);
        _bound(Param.MaxTwapDeviation, p.maxTwapDeviation, 1, MAX_TWAP_DEVIATION);
        _bound(
            Param.MinRebalanceInterval,
            p.minRebalanceInterval,
            MIN_REBALANCE_INTERVAL,
            MAX_REBALANCE_INTERVAL
        );
        _bound(Param.MinBaseWidth, p.minBaseWidth, 2 * step, fullWidth);
        _bound(Param.MaxBaseWidth, p.maxBaseWidth, p.minBaseWidth, fullWidth);
        _bound(Param.MinLimitWidth, p.minLimitWidth, step, fullWidth / 2);
        _bound(Param.MaxLimitWidth, p.maxLimitWidth, p.minLimitWidth, fullWidth / 2);
        _bound(Param.MaxLossPerWindowBps, p.maxLossPerWindowBps, 0, MAX_LOSS_PER_WINDOW_BPS);
        _bound(
            Param.MaxLossPerRebalanceBps,
            p.maxLossPerRebalanceBps,
            0,
            Math.min(MAX_LOSS_PER_REBALANCE_BPS, p.maxLossPerWindowBps)
        );
        _bound(Param.LossWindow, p.lossWindow, MIN_LOSS_WINDOW, MAX_LOSS_WINDOW);
        _bound(Param.TargetToken1Bps, p.targetToken1Bps, 0, BPS);
        _params = p;
        emit ParamsUpdated(p);
    }

    function _bound(Param param, uint256 value, uint256 min, uint256 max) private pure {
        if (value < min || value > max) revert ParamOutOfBounds(param, value, min, max);
    }
}
