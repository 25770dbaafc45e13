/**
 * An AbortSignal that fires on the first SIGINT or SIGTERM. A second signal while shutting down exits at
 * once (code 130), for an operator who does not want to wait for the in-flight step to be journaled.
 */
export function onShutdownSignal(onSignal?: (signal: NodeJS.Signals) => void): {
  signal: AbortSignal;
  dispose(): void;
} {
  const controller = new AbortController();
  const handler = (name: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(130);
    onSignal?.(name);
    controller.abort(new Error(`received ${name}`));
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
