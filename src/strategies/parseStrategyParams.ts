import type { z } from "zod/v4";

export class InvalidStrategyParamsError extends Error {
  constructor(
    readonly strategy: string,
    readonly issues: string[],
  ) {
    super(`Invalid params for strategy "${strategy}": ${issues.join("; ")}`);
    this.name = "InvalidStrategyParamsError";
  }
}

/** Validates user-supplied params with a strategy's schema; every problem is reported with its field path. */
export function parseStrategyParams<T>(strategy: string, schema: z.ZodType<T>, params: unknown): T {
  const result = schema.safeParse(params);
  if (result.success) return result.data;
  throw new InvalidStrategyParamsError(
    strategy,
    result.error.issues.map((issue) => `${issue.path.join(".") || "(params)"}: ${issue.message}`),
  );
}
