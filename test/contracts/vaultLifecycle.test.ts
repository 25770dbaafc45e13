import { MAINNET_WBTC_WETH } from "../../src/chain/addresses.js";
import { describeVaultLifecycle } from "../support/vaultLifecycle.js";

// On the mirror always; on a mainnet fork at MAINNET_FORK_BLOCK when MAINNET_RPC_URL is set.
describeVaultLifecycle(
  "RangeVault lifecycle on USDC/WETH 0.05 %",
  (deployment) => deployment.pools.usdcWeth005,
);

// The real WBTC/WETH 0.3 % pool at block 16,944,668: from the recorded snapshot offline (so in CI), or from
// MAINNET_RPC_URL. The mirror has no such pool, so that variant is skipped.
describeVaultLifecycle(
  "RangeVault lifecycle on WBTC/WETH 0.3 %",
  (deployment) => (deployment.target === "fork" ? MAINNET_WBTC_WETH.pool : undefined),
  { forkState: "wbtcWeth03" },
);
