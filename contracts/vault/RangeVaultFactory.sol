// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IUniswapV3Factory} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Factory.sol";
import {IUniswapV3Pool} from "@uniswap/v3-core/contracts/interfaces/IUniswapV3Pool.sol";

import {IRangeVault} from "./IRangeVault.sol";
import {RangeVault} from "./RangeVault.sol";

/// @title RangeVaultFactory
/// @notice Deploys RangeVaults for canonical Uniswap v3 pools and records them by pool, so users find the vaults
/// of a pool here and know their code is RangeVault's.
/// @dev RangeVault's creation code is larger than the 24,576 bytes a contract's code may have (EIP-170), so it cannot
/// sit in this factory's code. The constructor (whose init code may be twice that size, EIP-3860) stores it in two
/// data contracts; createVault reassembles it. The data contracts start with STOP, so calling them does nothing.
/// Inline assembly is limited to what Solidity cannot say: copying memory ranges, reading another contract's code at an
/// offset, CREATE from assembled bytes, and bubbling a constructor's revert reason.
contract RangeVaultFactory {
    /// @notice Arguments of createVault: the vault's constructor arguments (see RangeVault).
    struct VaultConfig {
        IUniswapV3Pool pool;
        string name;
        string symbol;
        address owner;
        address keeper;
        address treasury;
        uint16 protocolFeeBps;
        IRangeVault.Params params;
    }

    /// @notice The Uniswap v3 factory whose pools are accepted.
    // solhint-disable-next-line immutable-vars-naming
    IUniswapV3Factory public immutable uniswapFactory;
    address private immutable CODE_HEAD;
    address private immutable CODE_TAIL;

    mapping(address pool => address[] vaults) private _vaultsByPool;
    mapping(address vault => bool) public isVault;
    address[] private _vaults;

    event VaultCreated(address indexed pool, address indexed vault, address indexed creator, address owner);

    error NotCanonicalPool(address pool);
    error PoolNotInitialized(address pool);
    error CodeStoreFailed();
    error VaultCreationFailed();

    /// @param uniswapFactory_ The canonical Uniswap v3 factory of this chain.
    constructor(IUniswapV3Factory uniswapFactory_) {
        uniswapFactory = uniswapFactory_;
        bytes memory code = type(RangeVault).creationCode;
        uint256 half = code.length / 2;
        bytes memory head = new bytes(half);
        bytes memory tail = new bytes(code.length - half);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            mcopy(add(head, 0x20), add(code, 0x20), half)
            mcopy(add(tail, 0x20), add(add(code, 0x20), half), mload(tail))
        }
        CODE_HEAD = _store(head);
        CODE_TAIL = _store(tail);
    }

    /// @notice Deploys a vault for `config.pool` after checking the pool is the canonical factory's, initialised, and
    /// that the parameters are within RangeVault's hard bounds (its constructor reverts otherwise), and records it.
    /// @param config The vault's pool, share token name and symbol, roles, protocol fee and parameters.
    /// @return vault The new vault.
    function createVault(VaultConfig calldata config) external returns (address vault) {
        IUniswapV3Pool pool = config.pool;
        if (!_isCanonical(pool)) revert NotCanonicalPool(address(pool));
        (uint160 sqrtPriceX96, , , , , , ) = pool.slot0();
        if (sqrtPriceX96 == 0) revert PoolNotInitialized(address(pool));

        bytes memory initCode = bytes.concat(
            _load(CODE_HEAD),
            _load(CODE_TAIL),
            abi.encode(
                pool,
                config.name,
                config.symbol,
                config.owner,
                config.keeper,
                config.treasury,
                config.protocolFeeBps,
                config.params
            )
        );
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            vault := create(0, add(initCode, 0x20), mload(initCode))
        }
        if (vault == address(0)) {
            // Bubble up the constructor's reason (a bound it refused) when there is one.
            // solhint-disable-next-line no-inline-assembly
            assembly ("memory-safe") {
                if returndatasize() {
                    let ptr := mload(0x40)
                    returndatacopy(ptr, 0, returndatasize())
                    revert(ptr, returndatasize())
                }
            }
            revert VaultCreationFailed();
        }
        _vaultsByPool[address(pool)].push(vault);
        _vaults.push(vault);
        isVault[vault] = true;
        emit VaultCreated(address(pool), vault, msg.sender, config.owner);
    }

    /// @notice Vaults created for `pool`, oldest first.
    /// @param pool A Uniswap v3 pool.
    /// @return vaults Their addresses.
    function vaultsOf(address pool) external view returns (address[] memory) {
        return _vaultsByPool[pool];
    }

    /// @notice Every vault created here, oldest first.
    /// @return vaults Their addresses.
    function allVaults() external view returns (address[] memory) {
        return _vaults;
    }

    /// @dev True when `pool` answers as a Uniswap v3 pool and the Uniswap factory lists it under its own tokens and fee.
    /// Anything else (no code, other interface, a pool from another factory) is not canonical.
    function _isCanonical(IUniswapV3Pool pool) private view returns (bool) {
        if (address(pool).code.length == 0) return false;
        try pool.token0() returns (address token0) {
            try pool.token1() returns (address token1) {
                try pool.fee() returns (uint24 fee) {
                    return uniswapFactory.getPool(token0, token1, fee) == address(pool);
                } catch {
                    return false;
                }
            } catch {
                return false;
            }
        } catch {
            return false;
        }
    }

    /// @dev Deploys a contract whose code is STOP followed by `data`. Its init code copies everything after the
    /// 11-byte prefix to memory and returns it: PUSH1 11, MSIZE, DUP2, CODESIZE, SUB, DUP1, SWAP3, MSIZE, CODECOPY,
    /// RETURN.
    function _store(bytes memory data) private returns (address store) {
        bytes memory init = bytes.concat(hex"600b5981380380925939f3", hex"00", data);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            store := create(0, add(init, 0x20), mload(init))
        }
        if (store == address(0)) revert CodeStoreFailed();
    }

    function _load(address store) private view returns (bytes memory data) {
        uint256 size = store.code.length - 1;
        data = new bytes(size);
        // solhint-disable-next-line no-inline-assembly
        assembly ("memory-safe") {
            extcodecopy(store, add(data, 0x20), 1, size)
        }
    }
}
