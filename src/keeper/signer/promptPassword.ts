import { stdin, stdout } from "node:process";

export class NoTerminalForPasswordError extends Error {
  constructor(variable: string) {
    super(
      `The keystore password is needed: set the environment variable ${variable}, or run the keeper in a terminal to type it`,
    );
    this.name = "NoTerminalForPasswordError";
  }
}

/**
 * Asks for a password on the terminal without echoing it. Refuses when stdin is not a terminal, so a keeper
 * started by a service manager fails at once instead of waiting for input that never comes.
 */
export function promptPassword(question: string, variable: string): Promise<string> {
  if (!stdin.isTTY) return Promise.reject(new NoTerminalForPasswordError(variable));
  return new Promise((resolve, reject) => {
    let password = "";
    stdout.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding("utf8");
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off("data", onData);
      stdout.write("\n");
      if (error) reject(error);
      else resolve(password);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === "\r" || char === "\n") return done();
        if (char === "\u0003") return done(new Error("password prompt interrupted"));
        if (char === "\u007f") password = password.slice(0, -1);
        else password += char;
      }
    };
    stdin.on("data", onData);
  });
}
