import { readFile } from "node:fs/promises";
import { dirname, extname, resolve } from "node:path";

import { parse as parseYaml, YAMLParseError } from "yaml";
import type { z } from "zod/v4";

import { keeperConfigSchema, type KeeperConfig } from "./schema.js";

/** Why a config was refused: every problem found, one per line, each naming its field. No values are echoed. */
export class KeeperConfigError extends Error {
  readonly problems: readonly string[];
  constructor(file: string, problems: readonly string[]) {
    super(
      `Keeper config ${file} is not valid; fix these fields and start again (nothing was sent):\n` +
        problems.map((p) => `  - ${p}`).join("\n"),
    );
    this.name = "KeeperConfigError";
    this.problems = problems;
  }
}

export interface LoadKeeperConfigParameters {
  /** A .json, .yaml or .yml file. */
  path: string;
  /** The chain to use instead of the file's rpc.urls (e.g. a Hardhat --network's URL); the file may then omit them. */
  rpcUrls?: readonly string[];
}

/**
 * Reads and validates a keeper config file, filling defaults and resolving file paths (database, keystore)
 * against the config file's folder. Throws one KeeperConfigError listing every invalid field; parse errors
 * give a line and column but never the offending text, which may hold a secret.
 */
export async function loadKeeperConfig({ path, rpcUrls }: LoadKeeperConfigParameters): Promise<KeeperConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code;
    throw new KeeperConfigError(path, [
      code === "ENOENT"
        ? "(file): not found; pass --keeper-config <path of a .json or .yaml file>"
        : `(file): cannot be read (${code ?? "unknown error"})`,
    ]);
  }
  let raw = parseConfigText(path, text);
  if (rpcUrls !== undefined && typeof raw === "object" && raw !== null && !Array.isArray(raw)) {
    const rpc = (raw as { rpc?: unknown }).rpc;
    raw = { ...raw, rpc: { ...(typeof rpc === "object" && rpc !== null ? rpc : {}), urls: [...rpcUrls] } };
  }
  // Inputs are kept on the issues only to tell a missing field from a wrong one; they are never printed.
  const result = keeperConfigSchema.safeParse(raw, { reportInput: true });
  if (!result.success) throw new KeeperConfigError(path, result.error.issues.map(describeIssue));
  const config = result.data;
  const folder = dirname(resolve(path));
  config.database.path = resolve(folder, config.database.path);
  if (config.signer.type === "keystore") config.signer.path = resolve(folder, config.signer.path);
  return config;
}

function parseConfigText(path: string, text: string): unknown {
  const extension = extname(path).toLowerCase();
  if (extension === ".yaml" || extension === ".yml") {
    try {
      return parseYaml(text);
    } catch (error) {
      const at =
        error instanceof YAMLParseError && error.linePos
          ? ` at line ${error.linePos[0].line} column ${error.linePos[0].col}`
          : "";
      throw new KeeperConfigError(path, [`(file): not valid YAML${at}`]);
    }
  }
  if (extension !== ".json")
    throw new KeeperConfigError(path, ["(file): expected a .json, .yaml or .yml file"]);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // Node's message quotes the text around the error; only the position is kept.
    const position = /\(line \d+ column \d+\)|position \d+/.exec((error as Error).message);
    throw new KeeperConfigError(path, [
      `(file): not valid JSON${position ? ` at ${position[0].replace(/[()]/g, "")}` : ""}`,
    ]);
  }
}

function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path)
    out += typeof key === "number" ? `[${key}]` : out === "" ? String(key) : `.${String(key)}`;
  return out === "" ? "(top level)" : out;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const field = fieldPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys
      .map(
        (key) =>
          `${field === "(top level)" ? key : `${field}.${key}`}: unknown field (check its spelling in docs/keeper.md)`,
      )
      .join("\n  - ");
  }
  if (issue.code === "invalid_type" && issue.input === undefined)
    return `${field}: missing; ${issue.message.replace(/^Invalid input: /, "")}`;
  return `${field}: ${issue.message.replace(/^Invalid input: /, "")}`;
}
