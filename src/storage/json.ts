/** JSON text of a value holding bigints (as decimal strings tagged `n`, so they read back as bigints). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/** Reads `toJson` output back, bigints included. */
export function fromJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) =>
    typeof v === "string" && /^-?\d+n$/.test(v) ? BigInt(v.slice(0, -1)) : v,
  ) as T;
}
