/** A task option whose text is not what the option expects; the message starts with the option's name. */
export class InvalidOptionError extends Error {
  constructor(
    readonly option: string,
    message: string,
  ) {
    super(`${option}: ${message}`);
    this.name = "InvalidOptionError";
  }
}

/** A JSON-valued task option (`--params '{"riskAversion":5}'`); the empty text (option not given) is undefined. */
export function parseJsonOption(option: string, text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidOptionError(
      option,
      `expected JSON (e.g. '{"riskAversion":5}' or a number), got ${text}`,
    );
  }
}
