import { floorTick } from "./floorTick.js";
import type { VaultBounds } from "./types.js";

/**
 * A base range of about `halfWidth` ticks on each side of `centreTick`, aligned to the spacing, its width
 * clamped to the vault's bounds, and always containing `tick` (the vault refuses a base that excludes the
 * price): a centre skewed too far is pulled back until the price sits one spacing inside the range.
 */
export function rangeAround(options: {
  tick: number;
  centreTick: number;
  halfWidth: number;
  tickSpacing: number;
  bounds: Pick<VaultBounds, "minBaseWidth" | "maxBaseWidth">;
}): { tickLower: number; tickUpper: number } {
  const { tick, tickSpacing: spacing, bounds } = options;
  const minWidth = Math.ceil(bounds.minBaseWidth / spacing) * spacing;
  const maxWidth = Math.floor(bounds.maxBaseWidth / spacing) * spacing;
  const width = Math.min(maxWidth, Math.max(minWidth, 2 * Math.ceil(options.halfWidth / spacing) * spacing));
  let lower = floorTick(Math.round(options.centreTick) - width / 2, spacing);
  const floor = floorTick(tick, spacing);
  lower = Math.min(Math.max(lower, floor + spacing - width), floor);
  return { tickLower: lower, tickUpper: lower + width };
}
