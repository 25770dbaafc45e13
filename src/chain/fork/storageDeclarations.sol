// SPDX-License-Identifier: MIT
pragma solidity =0.7.6;

// State-variable declarations of contracts whose source npm does not ship: @uniswap/v3-core's package holds
// only interfaces and libraries, and WETH9's source needs solc 0.4. compileSnapshotContracts.ts compiles this file
// with solc 0.7.6 for `storageLayout` only (it is never deployed), so slots and packing offsets come from the
// compiler, with the structs taken from v3-core's own libraries. Each contract lists its original's state
// variables in declaration order (immutables live in code, not storage); the fork read-back tests check every
// one through the real bytecode's getters.

import {Oracle} from "@uniswap/v3-core/contracts/libraries/Oracle.sol";
import {Position} from "@uniswap/v3-core/contracts/libraries/Position.sol";
import {Tick} from "@uniswap/v3-core/contracts/libraries/Tick.sol";

/// UniswapV3Pool (v3-core 1.0): slot0 and everything after it.
contract UniswapV3PoolStorage {
    struct Slot0 {
        uint160 sqrtPriceX96;
        int24 tick;
        uint16 observationIndex;
        uint16 observationCardinality;
        uint16 observationCardinalityNext;
        uint8 feeProtocol;
        bool unlocked;
    }

    struct ProtocolFees {
        uint128 token0;
        uint128 token1;
    }

    Slot0 public slot0;
    uint256 public feeGrowthGlobal0X128;
    uint256 public feeGrowthGlobal1X128;
    ProtocolFees public protocolFees;
    uint128 public liquidity;
    mapping(int24 => Tick.Info) public ticks;
    mapping(int16 => uint256) public tickBitmap;
    mapping(bytes32 => Position.Info) public positions;
    Oracle.Observation[65535] public observations;
}

/// UniswapV3Factory (v3-core 1.0): UniswapV3PoolDeployer's transient `parameters` come first (inherited), then
/// the factory's own variables.
contract UniswapV3FactoryStorage {
    struct Parameters {
        address factory;
        address token0;
        address token1;
        uint24 fee;
        int24 tickSpacing;
    }

    Parameters public parameters;
    address public owner;
    mapping(uint24 => int24) public feeAmountTickSpacing;
    mapping(address => mapping(address => mapping(uint24 => address))) public getPool;
}

/// WETH9 (canonical, solc 0.4): storage rules for these types are the same under 0.7.6.
contract WETH9Storage {
    string public name;
    string public symbol;
    uint8 public decimals;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;
}
