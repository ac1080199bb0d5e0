// Elementwise ops of the reference interpreter in float64, written for numerical care: the
// stable forms of softplus and the logistic sigmoid, expm1 for ELU, and NumPy broadcasting.
import type { BinaryOp, CompareOp, Node, Shape, UnaryOp } from "../graph.js";
import { sameShape } from "../graph.js";
import { broadcastStrides, viewOffsets } from "./strides.js";

/** The logistic sigmoid 1/(1 + e^−x), evaluated so that e^(±x) never overflows. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** softplus(x) = log(1 + eˣ) = max(x, 0) + log1p(e^−|x|): no overflow for large x, no loss for small. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
}

const unary: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  exp: Math.exp,
  log: Math.log,
  log1p: Math.log1p,
  expm1: Math.expm1,
  softplus,
  sigmoid,
  tanh: Math.tanh,
  relu: (x) => Math.max(x, 0),
  // ELU with α = 1: eˣ − 1 for x ≤ 0, via expm1 to keep precision near 0.
  elu: (x) => (x > 0 ? x : Math.expm1(x)),
  square: (x) => x * x,
  sqrt: Math.sqrt,
  abs: Math.abs,
  // Math.sign(0) = 0, as NumPy's sign.
  sign: Math.sign,
  reciprocal: (x) => 1 / x,
  stop_gradient: (x) => x,
};

const binary: Record<BinaryOp | CompareOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  less: (a, b) => (a < b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
};

/** The function of one elementwise node (a unary op, leaky_relu or clip), or undefined. */
export function unaryFunction(node: Node): ((x: number) => number) | undefined {
  if (node.op === "leaky_relu") {
    const alpha = node.alpha;
    return (x) => (x > 0 ? x : alpha * x);
  }
  if (node.op === "clip") {
    const { min, max } = node;
    return (x) => Math.min(Math.max(x, min), max);
  }
  return (unary as Record<string, (x: number) => number>)[node.op];
}

/** The function of one broadcasting binary node (arithmetic or comparison), or undefined. */
export function binaryFunction(
  node: Node,
): ((a: number, b: number) => number) | undefined {
  return (binary as Record<string, (a: number, b: number) => number>)[node.op];
}

export function mapUnary(
  x: Float64Array,
  f: (x: number) => number,
): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

/** f(a, b) elementwise on the NumPy broadcast of the operands to `out`. */
export function mapBinary(
  a: { shape: Shape; data: Float64Array },
  b: { shape: Shape; data: Float64Array },
  out: Shape,
  f: (a: number, b: number) => number,
): Float64Array {
  if (sameShape(a.shape, out) && sameShape(b.shape, out)) {
    const r = new Float64Array(a.data.length);
    for (let i = 0; i < r.length; i++) r[i] = f(a.data[i]!, b.data[i]!);
    return r;
  }
  const ia = viewOffsets(out, broadcastStrides(a.shape, out));
  const ib = viewOffsets(out, broadcastStrides(b.shape, out));
  const r = new Float64Array(ia.length);
  for (let i = 0; i < r.length; i++) r[i] = f(a.data[ia[i]!]!, b.data[ib[i]!]!);
  return r;
}

/** where(cond, a, b): a where cond ≠ 0 (NaN counts as true, as in NumPy), else b; all broadcast. */
export function where(
  cond: { shape: Shape; data: Float64Array },
  a: { shape: Shape; data: Float64Array },
  b: { shape: Shape; data: Float64Array },
  out: Shape,
): Float64Array {
  const ic = viewOffsets(out, broadcastStrides(cond.shape, out));
  const ia = viewOffsets(out, broadcastStrides(a.shape, out));
  const ib = viewOffsets(out, broadcastStrides(b.shape, out));
  const r = new Float64Array(ic.length);
  for (let i = 0; i < r.length; i++)
    r[i] = cond.data[ic[i]!] !== 0 ? a.data[ia[i]!]! : b.data[ib[i]!]!;
  return r;
}
