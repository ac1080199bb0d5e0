// Reductions of the reference interpreter: sum, mean (sum / count), max and the log-sum-exp
// with the maximum subtracted (log Σ eˣ = m + log Σ e^(x−m)), and argmax (first index on ties).
import type { ReduceOp, Shape } from "../graph.js";
import { stridesOf, viewOffsets } from "./strides.js";

interface Array64 {
  shape: Shape;
  data: Float64Array;
}

/** For every element of x, the offset of the output element it reduces into. */
function reduceTargets(x: Shape, axes: readonly number[]): Uint32Array {
  const kept = x.map((d, i) => (axes.includes(i) ? 1 : d));
  const ks = stridesOf(kept);
  return viewOffsets(
    x,
    x.map((_, i) => (axes.includes(i) ? 0 : ks[i]!)),
  );
}

function reduceMax(
  x: Float64Array,
  to: Uint32Array,
  outSize: number,
): Float64Array {
  const m = new Float64Array(outSize).fill(-Infinity);
  // Math.max propagates NaN, as NumPy's max does.
  for (let i = 0; i < x.length; i++) {
    const j = to[i]!;
    m[j] = Math.max(m[j]!, x[i]!);
  }
  return m;
}

/** log Σ exp over the reduced elements; all −∞ gives −∞, any +∞ gives +∞. */
function reduceLogSumExp(
  x: Float64Array,
  to: Uint32Array,
  outSize: number,
): Float64Array {
  const m = reduceMax(x, to, outSize);
  const s = new Float64Array(outSize);
  for (let i = 0; i < x.length; i++) {
    const j = to[i]!;
    const mj = m[j]!;
    if (Number.isFinite(mj)) s[j] = s[j]! + Math.exp(x[i]! - mj);
  }
  return m.map((mi, j) => (Number.isFinite(mi) ? mi + Math.log(s[j]!) : mi));
}

/** A reduction over `axes` (the output's element order is the same with or without keepDims). */
export function reduce(
  op: ReduceOp,
  x: Array64,
  axes: readonly number[],
  outSize: number,
): Float64Array {
  const to = reduceTargets(x.shape, axes);
  if (op === "max") return reduceMax(x.data, to, outSize);
  if (op === "logsumexp") return reduceLogSumExp(x.data, to, outSize);
  const s = new Float64Array(outSize);
  for (let i = 0; i < x.data.length; i++) {
    const j = to[i]!;
    s[j] = s[j]! + x.data[i]!;
  }
  if (op === "sum") return s;
  // mean = sum / count, count = the number of elements reduced into each output.
  const count = axes.reduce((n, a) => n * x.shape[a]!, 1);
  return s.map((v) => v / count);
}

/** The index of the largest entry along `axis` (first on ties; a NaN wins, as in NumPy). */
export function argmax(x: Array64, axis: number): Float64Array {
  const outShape = x.shape.map((d, i) => (i === axis ? 1 : d));
  const xs = stridesOf(x.shape);
  const starts = viewOffsets(outShape, xs);
  const step = xs[axis]!;
  const d = x.shape[axis]!;
  const out = new Float64Array(starts.length);
  for (let j = 0; j < starts.length; j++) {
    let best = 0;
    let bestValue = x.data[starts[j]!]!;
    for (let k = 1; k < d; k++) {
      const v = x.data[starts[j]! + k * step]!;
      if (Number.isNaN(bestValue)) break;
      if (v > bestValue || Number.isNaN(v)) {
        best = k;
        bestValue = v;
      }
    }
    out[j] = best;
  }
  return out;
}
