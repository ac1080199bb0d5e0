// VJP rules of the matrix product, the reductions and the structural ops. Each structural op
// only moves or copies elements, so its VJP moves the cotangent back: the inverse permutation,
// zero padding for slice, slices for concat, sums over the copies for tile and broadcast.
import { concat, type Sym } from "../builder.js";
import type { ReduceOp } from "../graph.js";
import {
  keepReduced,
  unbroadcast,
  zeros,
  type DiffOp,
  type Vjp,
} from "./common.js";

type Table<K extends DiffOp> = { [P in K]: Vjp<P> };

/**
 * C = op(A)·op(B). With G = dC: d op(A) = G·op(B)ᵀ and d op(B) = op(A)ᵀ·G, and transposing
 * back where op is a transpose gives the four cases, each one matmul with flags (no transpose
 * node): dA = G·Bᵀ | G·B | B·Gᵀ | Bᵀ·Gᵀ and dB = Aᵀ·G | Gᵀ·A | A·G | Gᵀ·Aᵀ for
 * (transA, transB) = (F, F) | (F, T) | (T, F) | (T, T).
 */
const matmulVjp: Vjp<"matmul"> = (n, [a, b], _y, g, needs) => {
  const { transA: ta, transB: tb } = n;
  const dA = (): Sym =>
    ta
      ? b!.matmul(g, { transA: tb, transB: true })
      : g.matmul(b!, { transB: !tb });
  const dB = (): Sym =>
    tb
      ? g.matmul(a!, { transA: true, transB: ta })
      : a!.matmul(g, { transA: !ta });
  return [needs[0] ? dA() : null, needs[1] ? dB() : null];
};

type ReduceNode = { axes: readonly number[]; keepDims: boolean };
const keep = (n: ReduceNode, x: Sym, v: Sym): Sym =>
  keepReduced(v, x.shape, n.axes, n.keepDims);

const reduceVjps: Table<ReduceOp> = {
  // Every reduced element receives the cotangent of its sum.
  sum: (n, [x], _y, dy) => [keep(n, x!, dy).broadcastTo(x!.shape)],
  // mean = sum / count.
  mean: (n, [x], _y, dy) => {
    const count = n.axes.reduce((c, a) => c * x!.shape[a]!, 1);
    return [keep(n, x!, dy).div(count).broadcastTo(x!.shape)];
  },
  // The max's cotangent is split evenly among the entries that attain it: mask / count.
  max: (n, [x], y, dy) => {
    const mask = x!.equal(keep(n, x!, y));
    return [mask.mul(keep(n, x!, dy).div(mask.sum(n.axes, true)))];
  },
  // ∂/∂xᵢ log Σⱼ e^xⱼ = e^(xᵢ − lse), the softmax.
  logsumexp: (n, [x], y, dy) => [
    x!
      .sub(keep(n, x!, y))
      .exp()
      .mul(keep(n, x!, dy)),
  ],
};

/** slice: the cotangent of the block, zero padded back to x's shape one axis at a time. */
const sliceVjp: Vjp<"slice"> = (n, [x], _y, dy) => {
  let g = dy;
  x!.shape.forEach((d, axis) => {
    const before = n.begin[axis]!;
    const after = d - before - n.size[axis]!;
    const pad = (w: number): Sym =>
      zeros(
        dy,
        g.shape.map((s, i) => (i === axis ? w : s)),
      );
    const parts = [
      ...(before > 0 ? [pad(before)] : []),
      g,
      ...(after > 0 ? [pad(after)] : []),
    ];
    g = concat(parts, axis);
  });
  return [g];
};

/** concat: each input's cotangent is its block of dy along the axis. */
const concatVjp: Vjp<"concat"> = (n, xs, _y, dy, needs) => {
  let offset = 0;
  return xs.map((x, i) => {
    const begin = dy.shape.map((_, a) => (a === n.axis ? offset : 0));
    offset += x.shape[n.axis]!;
    return needs[i] ? dy.slice(begin, x.shape) : null;
  });
};

/** tile: dy viewed as [r₀, d₀, r₁, d₁, …] (rep k, element j at k·dᵢ + j), summed over the reps. */
const tileVjp: Vjp<"tile"> = (n, [x], _y, dy) => {
  if (n.reps.every((r) => r === 1)) return [dy.reshape(x!.shape)];
  const inter = x!.shape.flatMap((d, i) => [n.reps[i]!, d]);
  const repAxes = x!.shape.map((_, i) => 2 * i);
  return [dy.reshape(inter).sum(repAxes)];
};

type StructuralOp =
  | "matmul"
  | ReduceOp
  | "argmax"
  | "reshape"
  | "slice"
  | "concat"
  | "tile"
  | "transpose"
  | "broadcast";

export const structuralVjps: Table<StructuralOp> = {
  matmul: matmulVjp,
  ...reduceVjps,
  argmax: () => [null],
  reshape: (_n, [x], _y, dy) => [dy.reshape(x!.shape)],
  slice: sliceVjp,
  concat: concatVjp,
  tile: tileVjp,
  // The inverse permutation: inv[perm[i]] = i.
  transpose: (n, _x, _y, dy) => {
    const inv = new Array<number>(n.perm.length);
    n.perm.forEach((p, i) => (inv[p] = i));
    return [dy.transpose(inv)];
  },
  broadcast: (_n, [x], _y, dy) => [unbroadcast(dy, x!.shape)],
};
