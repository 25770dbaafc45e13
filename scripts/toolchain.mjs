#!/usr/bin/env node
// Makes the project runnable from a fresh clone where only Node 20 + npm exist.
// Hardhat 3 needs Node >= 22.13, and npm must itself run on Node 22 while installing,
// otherwise it silently skips EDR's native package (engines: node >= 22).
//
//   node scripts/toolchain.mjs            ensure Node 22 and dependencies, then exit
//   node scripts/toolchain.mjs <cmd ...>  ensure them, then run <cmd> with Node 22 and
//                                         node_modules/.bin first on PATH
//
// Plain JavaScript with no dependencies on purpose: it runs before anything is installed.
// Idempotent: a second run only compares a stamp and returns in milliseconds.
import { spawnSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { dirname, join, delimiter } from "node:path";
import { constants } from "node:os";
import { fileURLToPath } from "node:url";

const NODE_VERSION = "22.23.3";
const MIN_NODE = [22, 13, 0];
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const toolDir = join(root, ".toolchain");

function log(message) {
  process.stderr.write(`[toolchain] ${message}\n`);
}

function fail(message) {
  log(`error: ${message}`);
  process.exit(1);
}

function versionAtLeast(version, min) {
  const parts = version.replace(/^v/, "").split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    if (parts[i] !== min[i]) return parts[i] > min[i];
  }
  return true;
}

function run(cmd, args, env) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env });
  if (result.error) fail(`${cmd} could not start: ${result.error.message}`);
  if (result.status !== 0) fail(`${cmd} ${args.join(" ")} exited with ${result.status}`);
}

/** The npm CLI script that launched us (or the one on PATH), so we can run it under Node 22. */
function npmCli() {
  const fromEnv = process.env.npm_execpath;
  if (fromEnv && existsSync(fromEnv) && fromEnv.endsWith(".js")) return fromEnv;
  const guess = join(dirname(process.execPath), "..", "lib", "node_modules", "npm", "bin", "npm-cli.js");
  if (existsSync(guess)) return guess;
  fail("cannot find npm's npm-cli.js; run this through `npm run …` or install npm next to node");
}

/** Absolute path of a Node >= 22.13 binary: the current one if good enough, else a local copy from the npm registry. */
function ensureNode() {
  if (versionAtLeast(process.version, MIN_NODE)) return process.execPath;
  const pkg = `node-${process.platform}-${process.arch}`;
  const bin = join(toolDir, "node_modules", pkg, "bin", "node");
  if (existsSync(bin)) return bin;
  log(
    `Node ${process.version} is too old for Hardhat 3; fetching ${pkg}@${NODE_VERSION} from the npm registry`,
  );
  mkdirSync(toolDir, { recursive: true });
  run(process.execPath, [
    npmCli(),
    "install",
    "--prefix",
    toolDir,
    "--no-save",
    "--no-package-lock",
    "--no-audit",
    "--no-fund",
    `${pkg}@${NODE_VERSION}`,
  ]);
  if (!existsSync(bin)) fail(`${pkg} installed but ${bin} is missing; install Node >= 22.13 yourself`);
  return bin;
}

function envWith(nodeBin) {
  const path = [dirname(nodeBin), join(root, "node_modules", ".bin"), process.env.PATH ?? ""].join(delimiter);
  return { ...process.env, PATH: path };
}

/** Installs exactly the lockfile with npm running on Node 22, unless the stamp says it is already there. */
function ensureDependencies(nodeBin) {
  const lock = readFileSync(join(root, "package-lock.json"));
  const stamp = createHash("sha256").update(lock).update(nodeBin).digest("hex");
  const stampFile = join(root, "node_modules", ".toolchain-stamp");
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8") === stamp) return;
  log("installing dependencies from package-lock.json (npm ci on Node 22)");
  run(nodeBin, [npmCli(), "ci", "--no-audit", "--no-fund"], envWith(nodeBin));
  writeFileSync(stampFile, stamp);
}

const nodeBin = ensureNode();
ensureDependencies(nodeBin);

const [cmd, ...args] = process.argv.slice(2);
if (cmd) {
  const child = spawn(cmd, args, { cwd: process.cwd(), stdio: "inherit", env: envWith(nodeBin) });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("error", (err) => fail(`${cmd} could not start: ${err.message}`));
  child.on("exit", (code, signal) =>
    process.exit(code ?? 128 + (signal ? (constants.signals[signal] ?? 1) : 1)),
  );
}
