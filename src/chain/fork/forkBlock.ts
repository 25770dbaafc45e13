/**
 * Block the `mainnetFork` network forks at (override with MAINNET_FORK_BLOCK). It is the block of the
 * recorded WBTC/WETH state in ../shared/data, so fork tests see the same state on a real RPC and on the
 * recorded-state server.
 */
export const DEFAULT_MAINNET_FORK_BLOCK = 16_944_668n;

export const MAINNET_FORK_BLOCK =
  process.env.MAINNET_FORK_BLOCK !== undefined && process.env.MAINNET_FORK_BLOCK !== ""
    ? BigInt(process.env.MAINNET_FORK_BLOCK)
    : DEFAULT_MAINNET_FORK_BLOCK;
