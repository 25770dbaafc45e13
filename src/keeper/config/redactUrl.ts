/**
 * An RPC URL as it may appear in a log line or an error: scheme, host and port only. Providers put API
 * keys in the path, the query or the user info, so all of those are dropped; an unparsable string is
 * withheld entirely.
 */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return "<unparsable URL withheld>";
  const { protocol, host, pathname, search, username, password } = new URL(url);
  const hidden = (pathname !== "/" && pathname !== "") || search !== "" || username !== "" || password !== "";
  return `${protocol}//${host}${hidden ? "/…" : ""}`;
}
