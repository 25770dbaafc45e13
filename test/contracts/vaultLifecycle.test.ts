import { describeVaultLifecycle } from "../support/vaultLifecycle.js";

// On the mirror always; on a mainnet fork at MAINNET_FORK_BLOCK when MAINNET_RPC_URL is set.
describeVaultLifecycle(
  "RangeVault lifecycle on USDC/WETH 0.05 %",
  (deployment) => deployment.pools.usdcWeth005,
);
