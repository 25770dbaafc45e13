import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

// The CLI itself, not npx: signals must reach Hardhat's process, not a wrapper that may not forward them.
const hardhatCli = fileURLToPath(new URL("../../node_modules/hardhat/dist/src/cli.js", import.meta.url));

export interface HardhatProcess {
  child: ChildProcessWithoutNullStreams;
  /** stdout and stderr so far. */
  output(): string;
  /** Resolves when `pattern` appears in the output (with its match), rejects if the process exits first. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs `hardhat <args>` in a child process, collecting its output. */
export function runHardhat(args: string[], env: NodeJS.ProcessEnv = process.env): HardhatProcess {
  const child = spawn(process.execPath, [hardhatCli, ...args], { stdio: ["pipe", "pipe", "pipe"], env });
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => out,
    exited,
    waitFor: (pattern, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) {
            clearInterval(timer);
            resolve(match);
          }
        };
        const timer = setInterval(check, 20);
        const deadline = setTimeout(() => {
          clearInterval(timer);
          reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${out}`));
        }, timeoutMs);
        void exited.then(() => {
          check();
          clearInterval(timer);
          clearTimeout(deadline);
          reject(new Error(`hardhat ${args[0]} exited before printing ${pattern}; output:\n${out}`));
        });
      }),
  };
}
