// The matrix product and the structural ops of the reference interpreter. Transpose, slice,
// broadcast and tile are strided views of their input (see strides.ts); reshape keeps the
// row-major data; concat copies blocks.
import type { Shape } from "../graph.js";
import { sizeOf } from "../graph.js";
import { broadcastStrides, gather, stridesOf } from "./strides.js";

interface Array64 {
  shape: Shape;
  data: Float64Array;
}

/** op(a) · op(b) for 2-D a and b, op = transpose when the flag is set. */
export function matmul(
  a: Array64,
  b: Array64,
  transA: boolean,
  transB: boolean,
): Float64Array {
  const [ar, ac] = a.shape as [number, number];
  const [br, bc] = b.shape as [number, number];
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const n = transB ? br : bc;
  // Element (i, l) of op(a) is at i·ai + l·al in a's row-major data; (l, j) of op(b) likewise.
  const [ai, al] = transA ? [1, ac] : [ac, 1];
  const [bl, bj] = transB ? [1, bc] : [bc, 1];
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let l = 0; l < k; l++)
        s += a.data[i * ai + l * al]! * b.data[l * bl + j * bj]!;
      out[i * n + j] = s;
    }
  return out;
}

export function transpose(x: Array64, perm: readonly number[]): Float64Array {
  const xs = stridesOf(x.shape);
  return gather(
    x.data,
    perm.map((p) => x.shape[p]!),
    perm.map((p) => xs[p]!),
  );
}

export function slice(
  x: Array64,
  begin: readonly number[],
  size: readonly number[],
): Float64Array {
  const xs = stridesOf(x.shape);
  const base = begin.reduce((o, b, i) => o + b * xs[i]!, 0);
  return gather(x.data, size, xs, base);
}

export function broadcast(x: Array64, shape: Shape): Float64Array {
  return gather(x.data, shape, broadcastStrides(x.shape, shape));
}

/**
 * tile: output coordinate k·dᵢ + j reads x's j, so the output is x viewed with the interleaved
 * shape [r₀, d₀, r₁, d₁, …] and strides [0, s₀, 0, s₁, …].
 */
export function tile(x: Array64, reps: readonly number[]): Float64Array {
  const xs = stridesOf(x.shape);
  return gather(
    x.data,
    x.shape.flatMap((d, i) => [reps[i]!, d]),
    xs.flatMap((s) => [0, s]),
  );
}

/** Concatenation along `axis`: for each index of the leading axes, one block of each input. */
export function concat(xs: readonly Array64[], axis: number): Float64Array {
  const first = xs[0]!.shape;
  const outer = sizeOf(first.slice(0, axis));
  const inner = sizeOf(first.slice(axis + 1));
  const total = xs.reduce((n, x) => n + sizeOf(x.shape), 0);
  const out = new Float64Array(total);
  let o = 0;
  for (let r = 0; r < outer; r++)
    for (const x of xs) {
      const block = x.shape[axis]! * inner;
      out.set(x.data.subarray(r * block, (r + 1) * block), o);
      o += block;
    }
  return out;
}
