// The tensor program: a typed, static-shape graph of a small op set (in the spirit of tinygrad's
// few primitive ops or JAX's primitives). The model's math — networks, distributions, KL terms,
// ELBO/IWAE terms, optimizer updates — is written once against these ops (src/program/builder.ts);
// reverse-mode AD turns a program into its gradient program (src/program/autodiff.ts); engines
// only execute (src/engines/*). Every value is float (float32 on engines, float64 in the
// reference interpreter); comparisons yield 0/1 and class indices are floats.

export type Shape = readonly number[];

/** Elementwise functions of one input. */
export const unaryOps = [
  "neg",
  "exp",
  "log",
  "log1p",
  "expm1",
  "softplus",
  "sigmoid",
  "tanh",
  "relu",
  "elu",
  "square",
  "sqrt",
  "abs",
  "sign",
  "reciprocal",
  /** The identity whose gradient is zero. */
  "stop_gradient",
] as const;
export type UnaryOp = (typeof unaryOps)[number];

/** Elementwise arithmetic with NumPy broadcasting. */
export const binaryOps = ["add", "sub", "mul", "div"] as const;
export type BinaryOp = (typeof binaryOps)[number];

/** Elementwise comparisons with broadcasting: 1 where true, 0 where false; no gradient. */
export const compareOps = ["less", "greater", "equal"] as const;
export type CompareOp = (typeof compareOps)[number];

/** Reductions over axes. */
export const reduceOps = ["sum", "mean", "max", "logsumexp"] as const;
export type ReduceOp = (typeof reduceOps)[number];

/** What a node computes, with its attributes. */
export type NodeSpec =
  /** A value fed at run time (a batch, noise, the learning rate). */
  | { op: "input"; name: string }
  /** A learned tensor (the IR's `parameters`): what gradients are taken with respect to. */
  | { op: "param"; name: string }
  /** Row-major values; length = product of the shape (a scalar: shape []). */
  | { op: "const"; value: readonly number[] }
  | { op: UnaryOp }
  | { op: "leaky_relu"; alpha: number }
  /** min(max(x, min), max); gradient 1 inside [min, max], 0 outside. */
  | { op: "clip"; min: number; max: number }
  | { op: BinaryOp }
  | { op: CompareOp }
  /** where(cond, a, b): a where cond ≠ 0, else b; broadcasting all three. */
  | { op: "where" }
  /** 2-D matrix product op(a) · op(b), op = transpose when the flag is set. */
  | { op: "matmul"; transA: boolean; transB: boolean }
  | { op: ReduceOp; axes: readonly number[]; keepDims: boolean }
  /** Index of the largest entry along `axis` (first on ties), kept as a size-1 axis; no gradient. */
  | { op: "argmax"; axis: number }
  | { op: "reshape"; shape: Shape }
  /** The block [begin, begin + size) of every axis. */
  | { op: "slice"; begin: readonly number[]; size: readonly number[] }
  /** n-ary concatenation along `axis`. */
  | { op: "concat"; axis: number }
  | { op: "tile"; reps: readonly number[] }
  | { op: "transpose"; perm: readonly number[] }
  /** Broadcast to `shape` (NumPy rules: size-1 axes stretch, missing leading axes are added). */
  | { op: "broadcast"; shape: Shape };

export type OpName = NodeSpec["op"];

/** One value of the program. Nodes are in topological order: inputs precede their users. */
export type Node = NodeSpec & {
  readonly id: number;
  readonly inputs: readonly number[];
  readonly shape: Shape;
};

/** A named value the program reads or returns. */
export interface Port {
  name: string;
  id: number;
  shape: Shape;
}

/** A built program: its nodes, what it reads (inputs, learned tensors) and what it returns. */
export interface Program {
  readonly nodes: readonly Node[];
  readonly inputs: readonly Port[];
  readonly params: readonly Port[];
  readonly outputs: readonly Port[];
}

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** NumPy broadcasting of two shapes, or undefined when they do not broadcast. */
export function broadcastShapes(a: Shape, b: Shape): number[] | undefined {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}
