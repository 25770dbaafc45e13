import { getAddress, isAddress, type Address } from "viem";
import { z } from "zod/v4";

import { MAINNET } from "../../chain/addresses.js";

const address = z
  .string({ error: "expected a 0x-prefixed 20-byte hex address" })
  .refine((value) => isAddress(value, { strict: false }), {
    error: "expected a 0x-prefixed 20-byte hex address",
    abort: true,
  })
  .transform((value) => getAddress(value) as Address);

const rpcUrl = z
  .string({ error: "expected an http(s) or ws(s) URL" })
  .refine((value) => /^(https?|wss?):\/\/[^\s]+$/.test(value) && URL.canParse(value), {
    error: "expected an http(s) or ws(s) URL",
  });

const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });
const nonNegativeInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .nonnegative({ error: `expected ${what}` });
const envName = z
  .string({ error: "expected the name of an environment variable" })
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    error: "expected the name of an environment variable, e.g. KEEPER_PASSWORD",
  });

export const rpcSchema = z.strictObject({
  /** Tried in order: the first that answers serves the request; the rest are fallbacks. */
  urls: z.array(rpcUrl).min(1, { error: "expected at least one RPC URL" }),
  timeoutMs: positiveInt("a timeout in milliseconds").default(10_000),
  /** Retries of a failed request (over all URLs), with exponential backoff from retryDelayMs. */
  retryCount: nonNegativeInt("a retry count (0 or more)").default(3),
  retryDelayMs: positiveInt("a delay in milliseconds").default(250),
  pollingIntervalMs: positiveInt("a polling interval in milliseconds").default(4_000),
  /**
   * Most gas one batched eth_call may use: the node's eth_call gas cap (EIP-7825 caps a transaction at 2^24 gas
   * since Osaka, and Hardhat applies that to eth_call). A block's reads needing more go in further eth_calls.
   */
  callGasLimit: positiveInt("a gas amount").default(16_777_216),
});

export const signerSchema = z.discriminatedUnion(
  "type",
  [
    z.strictObject({
      type: z.literal("keystore"),
      /** Encrypted JSON keystore (Web3 Secret Storage), relative to the config file. */
      path: z.string({ error: "expected the path of a JSON keystore file" }).min(1),
      /** Variable holding the password; when unset the keeper prompts on a terminal. */
      passwordEnv: envName.default("KEEPER_KEYSTORE_PASSWORD"),
    }),
    z.strictObject({
      type: z.literal("env"),
      /** Variable holding a raw private key; only used when the keeper runs with --allow-raw-key. */
      privateKeyEnv: envName.default("KEEPER_PRIVATE_KEY"),
    }),
    z.strictObject({
      type: z.literal("hardhat"),
      /** Index of Hardhat's default test account; refused unless the chain is a local one (id 31337). */
      index: nonNegativeInt("an account index (0 or more)").default(0),
    }),
  ],
  { error: 'expected "keystore", "env" or "hardhat"' },
);

export const gasSchema = z.strictObject({
  /** EIP-1559 caps: nothing is signed above them, replacements included. */
  maxFeePerGasGwei: z.number({ error: "expected gwei as a positive number" }).positive().default(100),
  maxPriorityFeePerGasGwei: z.number({ error: "expected gwei as a positive number" }).positive().default(2),
  /** Upper bound on a transaction's gas; a simulation needing more is refused. */
  gasLimit: positiveInt("a gas amount").default(2_000_000),
  /** A transaction with no receipt after this long is replaced with bumped fees (same nonce). */
  replaceAfterMs: positiveInt("a duration in milliseconds").default(90_000),
  /** Minimum fee bump of a replacement; nodes refuse replacements under +10 %. */
  feeBumpPercent: z.number({ error: "expected a percentage of 10 or more" }).min(10).max(500).default(12.5),
});

export const riskSchema = z.strictObject({
  /** No rebalance of a vault sooner than this after its last one. */
  minRebalanceIntervalSeconds: nonNegativeInt("a number of seconds").default(3_600),
  /** At most this many rebalances of a vault in any 24 hours. */
  maxRebalancesPerDay: positiveInt("a positive count").default(6),
  /** Gas limit × max fee of one rebalance may not exceed this (ETH). */
  maxGasCostEth: z.number({ error: "expected ETH as a positive number" }).positive().default(0.05),
});

export const measureSchema = z.strictObject({
  /** Half-life of the EWMA volatility fed with each confirmed block's price. */
  volatilityHalfLifeSeconds: positiveInt("a number of seconds").default(3_600),
  /** Annualised volatility assumed until the EWMA has seen its first price move. */
  initialVolatility: z
    .number({ error: "expected an annualised volatility, e.g. 0.6" })
    .positive()
    .default(0.6),
  /** Half-life of the fee income and swap volume rates (market.feeRatePerLiquidity, implied volatility). */
  rateHalfLifeSeconds: positiveInt("a number of seconds").default(3_600),
  /** Horizon of VaR/CVaR and of the probability of being in range. */
  riskHorizonSeconds: positiveInt("a number of seconds").default(86_400),
  /** VaR/CVaR confidence level. */
  confidence: z
    .number({ error: "expected a confidence level strictly between 0 and 1, e.g. 0.99" })
    .gt(0, { error: "expected a confidence level strictly between 0 and 1, e.g. 0.99" })
    .lt(1, { error: "expected a confidence level strictly between 0 and 1, e.g. 0.99" })
    .default(0.99),
});

export const vaultSchema = z.strictObject({
  /** Label used in logs, metrics and the database. */
  name: z
    .string({ error: "expected a name of letters, digits, '-', '_' or '.'" })
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, { error: "expected a name of letters, digits, '-', '_' or '.'" }),
  address,
  pool: address,
  strategy: z.strictObject({
    name: z.string({ error: "expected a strategy name" }).min(1, { error: "expected a strategy name" }),
    /** Checked by the named strategy's own schema when it is loaded. */
    params: z
      .record(z.string(), z.unknown(), { error: "expected an object of strategy parameters" })
      .default({}),
  }),
  risk: riskSchema.default(riskSchema.parse({})),
  /**
   * Ticks the spot price may move between the confirmed block the keeper priced and the rebalance's execution;
   * checked at start against the vault's maxTwapDeviation (the vault refuses a larger tolerance).
   */
  tickTolerance: nonNegativeInt("a number of ticks (0 or more)").default(20),
  /** A rebalance is valid until the priced block's timestamp plus this. */
  deadlineSeconds: positiveInt("a number of seconds").default(600),
  /**
   * For a pair without WETH: a Uniswap v3 pool of WETH and the vault's token1, whose price converts gas (ETH)
   * into token1 for the strategy's economic check. Read in the same batched request.
   */
  gasPricePool: address.optional(),
});

export const keeperConfigSchema = z
  .strictObject({
    chainId: positiveInt("a chain id (1 for Ethereum mainnet, 31337 for Hardhat)"),
    rpc: rpcSchema,
    /** Blocks a block must have on top of it before the keeper reads or acts on it. */
    confirmations: nonNegativeInt("a block count (0 or more)").default(2),
    signer: signerSchema,
    gas: gasSchema.default(gasSchema.parse({})),
    /** The RangeVaultLens whose getState reads each vault (`hardhat vault:deploy` prints it). */
    vaultLens: address,
    /** Wrapped ether on this chain: gas costs are converted to token1 through a pool holding it. */
    weth: address.default(MAINNET.weth),
    measure: measureSchema.default(measureSchema.parse({})),
    vaults: z.array(vaultSchema).min(1, { error: "expected at least one vault" }),
    metrics: z
      .strictObject({
        enabled: z.boolean({ error: "expected true or false" }).default(true),
        host: z
          .literal("127.0.0.1", { error: 'expected "127.0.0.1" (metrics are served on loopback only)' })
          .default("127.0.0.1"),
        port: nonNegativeInt("a port from 0 to 65535")
          .max(65_535, { error: "expected a port from 0 to 65535" })
          .default(9464),
      })
      .default({ enabled: true, host: "127.0.0.1", port: 9464 }),
    database: z.strictObject({
      /** SQLite file, relative to the config file; created with its folder if missing. */
      path: z.string({ error: "expected the path of a SQLite file" }).min(1),
      /**
       * Blocks of per-vault snapshots kept (decisions, transactions and rebalances are kept forever); 0 keeps all.
       * At least 256, deeper than any reorg the keeper follows, so a rollback always finds its state.
       */
      snapshotRetentionBlocks: nonNegativeInt("0 (keep every snapshot) or a number of blocks of at least 256")
        .refine((n) => n === 0 || n >= 256, {
          error: "expected 0 (keep every snapshot) or a number of blocks of at least 256",
        })
        .default(7_200),
    }),
    log: z
      .strictObject({
        level: z
          .enum(["fatal", "error", "warn", "info", "debug", "trace"], {
            error: 'expected one of "fatal", "error", "warn", "info", "debug", "trace"',
          })
          .default("info"),
        pretty: z.boolean({ error: "expected true or false" }).default(false),
      })
      .default({ level: "info", pretty: false }),
    /** Do everything (read, decide, simulate, sign) but broadcast nothing. */
    dryRun: z.boolean({ error: "expected true or false" }).default(false),
    /** Send signed transactions here (eth_sendRawTransaction) instead of the public RPC URLs. */
    privateTx: z.strictObject({ url: rpcUrl }).optional(),
  })
  .check((ctx) => {
    const names = new Set<string>();
    ctx.value.vaults.forEach((vault, i) => {
      if (names.has(vault.name))
        ctx.issues.push({
          code: "custom",
          input: vault.name,
          path: ["vaults", i, "name"],
          message: `expected a unique vault name, "${vault.name}" is used twice`,
        });
      names.add(vault.name);
    });
  });

/** The validated config, with every default filled in. */
export type KeeperConfig = z.output<typeof keeperConfigSchema>;
/** What a config file may contain (defaults optional). */
export type KeeperConfigInput = z.input<typeof keeperConfigSchema>;
export type VaultConfig = KeeperConfig["vaults"][number];
export type SignerConfig = KeeperConfig["signer"];
export type GasConfig = KeeperConfig["gas"];
export type RpcConfig = KeeperConfig["rpc"];
export type RiskConfig = VaultConfig["risk"];
export type MeasureConfig = KeeperConfig["measure"];
