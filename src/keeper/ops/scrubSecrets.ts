import { redactUrl } from "../config/redactUrl.js";

/**
 * A function that removes every given secret from a text: an RPC URL becomes its redacted form, any other
 * secret becomes `<redacted>`. Longest secrets first, so a URL is replaced whole before any part of it.
 */
export function createSecretScrubber(secrets: readonly string[]): (text: string) => string {
  const replacements = secrets
    .filter((secret) => secret.length >= 6)
    .sort((a, b) => b.length - a.length)
    .map(
      (secret) =>
        [
          secret,
          URL.canParse(secret) && /^(https?|wss?):/.test(secret) ? redactUrl(secret) : "<redacted>",
        ] as const,
    );
  return (text) => {
    let out = text;
    for (const [secret, replacement] of replacements) {
      out = out.split(secret).join(replacement);
    }
    return out;
  };
}
