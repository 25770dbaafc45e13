/** Rounds a tick down (towards −∞) to a multiple of the tick spacing, as the pool's own tick bitmap does. */
export function floorTick(tick: number, tickSpacing: number): number {
  return Math.floor(tick / tickSpacing) * tickSpacing;
}
