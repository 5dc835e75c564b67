// padInto's row moves (core/padding.ts) by a backend's spreadRows kernel: one call per padded
// block where the JS side would pay one per row.
import type { RowSpreader } from '../core/padding';
import type { KernelSet } from '../runtime/abi';

/** The mover for the view of the arena that `kernels` compute in (element offsets). */
export function spreader({ bytes, spreadRows }: KernelSet): RowSpreader {
  return (offset, planes, rows, rowIn, planeOut, rowOut, first, left, right, value) =>
    spreadRows(offset * bytes, planes, rows, rowIn, planeOut, rowOut, first, left, right, value === null ? 0 : 1, value ?? 0);
}
