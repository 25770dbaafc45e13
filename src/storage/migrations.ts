/**
 * Schema versions, applied in order inside one transaction each; `PRAGMA user_version` records the last one
 * applied. Append only: a released migration is never edited, a change is a new entry.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,
    vault TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    block_hash TEXT NOT NULL,
    block_timestamp INTEGER NOT NULL,
    -- set when a reorg removed the block this snapshot was read at
    orphaned INTEGER NOT NULL DEFAULT 0,
    data TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (vault, block_hash)
  );
  CREATE INDEX snapshots_by_vault_block ON snapshots (vault, block_number);

  CREATE TABLE decisions (
    id INTEGER PRIMARY KEY,
    vault TEXT NOT NULL,
    block_number INTEGER NOT NULL,
    block_hash TEXT NOT NULL,
    strategy TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('rebalance', 'hold', 'blocked')),
    reasons TEXT NOT NULL,
    plan TEXT,
    latency_ms REAL NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX decisions_by_vault ON decisions (vault, id);

  CREATE TABLE transactions (
    id INTEGER PRIMARY KEY,
    vault TEXT NOT NULL,
    decision_id INTEGER REFERENCES decisions (id),
    chain_id INTEGER NOT NULL,
    sender TEXT NOT NULL,
    nonce INTEGER NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    raw TEXT NOT NULL,
    to_address TEXT NOT NULL,
    function_name TEXT NOT NULL,
    gas_limit TEXT NOT NULL,
    max_fee_per_gas TEXT NOT NULL,
    max_priority_fee_per_gas TEXT NOT NULL,
    replaces TEXT,
    status TEXT NOT NULL CHECK (status IN ('signed', 'sent', 'mined', 'reverted', 'replaced', 'dropped', 'failed', 'dry-run')),
    block_number INTEGER,
    gas_used TEXT,
    effective_gas_price TEXT,
    error TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE INDEX transactions_in_flight ON transactions (status, vault);
  CREATE INDEX transactions_by_nonce ON transactions (chain_id, sender, nonce);

  CREATE TABLE rebalances (
    id INTEGER PRIMARY KEY,
    vault TEXT NOT NULL,
    decision_id INTEGER REFERENCES decisions (id),
    tx_hash TEXT NOT NULL UNIQUE,
    block_number INTEGER NOT NULL,
    block_timestamp INTEGER NOT NULL,
    gas_used TEXT NOT NULL,
    gas_cost_wei TEXT NOT NULL,
    costs TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE INDEX rebalances_by_vault ON rebalances (vault, block_number);

  CREATE TABLE cursors (
    name TEXT PRIMARY KEY,
    block_number INTEGER NOT NULL,
    block_hash TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  );
  `,
  // 2: the pure strategies' side of a decision (what triggered it, the economic check's arithmetic, the memory it
  // returned), and the transactions of a decision found without a scan.
  `
  ALTER TABLE decisions ADD COLUMN trigger TEXT;
  ALTER TABLE decisions ADD COLUMN economics TEXT;
  ALTER TABLE decisions ADD COLUMN memory TEXT;
  CREATE INDEX transactions_by_decision ON transactions (decision_id);
  CREATE INDEX snapshots_by_block ON snapshots (block_number);
  `,
];
