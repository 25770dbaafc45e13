/**
 * The pool (or one of its libraries) would revert here. `reason` is the contract's own revert string
 * ('SPL', 'LOK', 'LS', 'T', 'R', ...) or, for the few `require`s without a message, a short name of the check
 * in lowercase ('overflow', 'tick spacing', ...), so tests can compare a simulated revert with the contract's.
 */
export class PoolRevertError extends Error {
  readonly reason: string;
  constructor(reason: string, detail: string) {
    super(`the pool would revert (${reason}): ${detail}`);
    this.name = "PoolRevertError";
    this.reason = reason;
  }
}

/** A value handed to the simulator or the math has the wrong type or lies outside what the contract accepts. */
export class InvalidPoolInputError extends Error {
  readonly field: string;
  constructor(field: string, expected: string, got: unknown) {
    super(`${field}: expected ${expected}, got ${describe(got)}`);
    this.name = "InvalidPoolInputError";
    this.field = field;
  }
}

function describe(value: unknown): string {
  if (typeof value === "bigint") return `${value}n`;
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined || value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? `an array of ${value.length}` : "an object";
}
