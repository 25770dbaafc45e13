/** An analytics input is missing, of the wrong type or outside its domain; the message names it. */
export class InvalidAnalyticsInputError extends Error {
  readonly field: string;
  constructor(field: string, expected: string, got: unknown) {
    super(
      `${field}: expected ${expected}, got ${typeof got === "bigint" ? `${got}n` : (JSON.stringify(got) ?? String(got))}`,
    );
    this.name = "InvalidAnalyticsInputError";
    this.field = field;
  }
}

export function positive(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new InvalidAnalyticsInputError(field, "a positive finite number", value);
  return value;
}

export function nonNegative(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new InvalidAnalyticsInputError(field, "a non-negative finite number", value);
  return value;
}

export function finite(field: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value))
    throw new InvalidAnalyticsInputError(field, "a finite number", value);
  return value;
}

export function probability(field: string, value: unknown): number {
  if (typeof value !== "number" || !(value > 0 && value < 1))
    throw new InvalidAnalyticsInputError(field, "a number strictly between 0 and 1", value);
  return value;
}

/** A price range [priceLower, priceUpper] with 0 < lower < upper. */
export function range(priceLower: unknown, priceUpper: unknown): [number, number] {
  const lower = positive("priceLower", priceLower);
  const upper = positive("priceUpper", priceUpper);
  if (!(lower < upper))
    throw new InvalidAnalyticsInputError("priceUpper", `a price above priceLower (${lower})`, upper);
  return [lower, upper];
}
