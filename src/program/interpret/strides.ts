// Index arithmetic of row-major arrays for the reference interpreter: strides, and the source
// offset of every element of a strided view (broadcast, transpose, slice and tile are all such
// views, in the spirit of NumPy's as_strided).
import type { Shape } from "../graph.js";
import { sizeOf } from "../graph.js";

/** Row-major strides: stride[i] = Π shape[i+1..]. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/**
 * For every element of `outShape` in row-major order, the offset base + Σᵢ coordᵢ·stridesᵢ of
 * the element it reads. Walks the coordinates as an odometer, so each step costs O(1) amortized.
 */
export function viewOffsets(
  outShape: Shape,
  strides: readonly number[],
  base = 0,
): Uint32Array {
  const n = sizeOf(outShape);
  const out = new Uint32Array(n);
  const rank = outShape.length;
  const coord = new Array<number>(rank).fill(0);
  let off = base;
  for (let i = 0; i < n; i++) {
    out[i] = off;
    for (let a = rank - 1; a >= 0; a--) {
      coord[a]!++;
      off += strides[a]!;
      if (coord[a]! < outShape[a]!) break;
      off -= strides[a]! * outShape[a]!;
      coord[a] = 0;
    }
  }
  return out;
}

/**
 * Strides that read an array of shape `from` as if broadcast to `to` (NumPy broadcasting):
 * 0 on the added leading axes and on the size-1 axes that stretch.
 */
export function broadcastStrides(from: Shape, to: Shape): number[] {
  const s = stridesOf(from);
  const lead = to.length - from.length;
  return to.map((_, i) =>
    i < lead || from[i - lead] === 1 ? 0 : s[i - lead]!,
  );
}

/** The values of `data` (of shape `from`) broadcast to `to`. */
export function broadcastData(
  data: Float64Array,
  from: Shape,
  to: Shape,
): Float64Array {
  const idx = viewOffsets(to, broadcastStrides(from, to));
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = data[idx[i]!]!;
  return out;
}

/** The values of `data` read through a strided view. */
export function gather(
  data: Float64Array,
  outShape: Shape,
  strides: readonly number[],
  base = 0,
): Float64Array {
  const idx = viewOffsets(outShape, strides, base);
  const out = new Float64Array(idx.length);
  for (let i = 0; i < idx.length; i++) out[i] = data[idx[i]!]!;
  return out;
}
