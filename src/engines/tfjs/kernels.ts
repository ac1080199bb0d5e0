// One tfjs kernel per op of the tensor program (src/program/graph.ts). A kernel is built once per
// node, when a program is prepared, with the node's attributes and input shapes baked in, so a
// training step only calls closures. The table below has one entry per op: a new op without a
// tfjs mapping is a compile-time error.
//
// Autodiff: the kernels are also safe under tfjs's own autodiff (tf.grads over a program run),
// which tests use to cross-check the program's reverse-mode AD. Ops without a gradient —
// comparisons, argmax, stop_gradient, the condition of where — are wrapped in tf.customGrad with a
// zero gradient, since tfjs registers no gradient for some of them (Less, Equal, NotEqual, ...) and
// would otherwise refuse any graph that routes a parameter through them.
import * as tf from "@tensorflow/tfjs";
import type { Node, NodeSpec, OpName, Shape } from "../../program/graph.js";

/** Computes one node from its input values. */
export type Kernel = (xs: readonly tf.Tensor[]) => tf.Tensor;

type ComputedOp = Exclude<OpName, "input" | "param" | "const">;
type SpecOf<K extends OpName> = NodeSpec & { op: K };
type Factory<K extends ComputedOp> = (
  node: SpecOf<K>,
  inputShapes: readonly Shape[],
) => Kernel;

/** `f`'s value, with a zero gradient to every input under tfjs autodiff. */
function noGradient(
  f: (xs: readonly tf.Tensor[]) => tf.Tensor,
  inputShapes: readonly Shape[],
): Kernel {
  const shapes = inputShapes.map((s) => [...s]);
  const wrapped = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: f(args.slice(0, shapes.length) as tf.Tensor[]),
    gradFunc: () => shapes.map((s) => tf.zeros(s)),
  }));
  return (xs) => wrapped(...xs);
}

const unary =
  (f: (x: tf.Tensor) => tf.Tensor) =>
  (): Kernel =>
  ([x]) =>
    f(x!);

const binary =
  (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
  (): Kernel =>
  ([a, b]) =>
    f(a!, b!);

/** A comparison as 0/1 floats, with no gradient. */
const comparison =
  (f: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor) =>
  (_: NodeSpec, shapes: readonly Shape[]): Kernel =>
    noGradient(([a, b]) => tf.cast(f(a!, b!), "float32"), shapes);

/**
 * op(a) · op(b), op = transpose where flagged. On the wasm backend tfjs's matMul with transpose
 * flags runs about 10× slower than a plain matMul (measured for the kernel and input gradients of
 * a 784→400 dense layer at batch 128: ~33 ms flagged against ~3–4 ms transposed first), so there
 * the operand is transposed explicitly; aᵀbᵀ is computed as (b a)ᵀ, one transpose instead of
 * two. Elsewhere (cpu, tfjs-node) the flags are as fast or faster and are passed through.
 */
function matmul(node: SpecOf<"matmul">): Kernel {
  const { transA, transB } = node;
  if (!transA && !transB) return ([a, b]) => tf.matMul(a!, b!);
  return ([a, b]) => {
    if (tf.getBackend() !== "wasm") return tf.matMul(a!, b!, transA, transB);
    if (transA && transB) {
      const ba = tf.matMul(b!, a!);
      const y = tf.transpose(ba);
      ba.dispose();
      return y;
    }
    const t = tf.transpose(transA ? a! : b!);
    const y = transA ? tf.matMul(t, b!) : tf.matMul(a!, t);
    t.dispose();
    return y;
  };
}

/** A reduction over `axes`; over no axes it is the identity (a fresh tensor the caller owns). */
const reduction =
  (f: (x: tf.Tensor, axes: number[], keepDims: boolean) => tf.Tensor) =>
  (node: NodeSpec & { axes: readonly number[]; keepDims: boolean }): Kernel => {
    const axes = [...node.axes];
    const keepDims = node.keepDims;
    if (axes.length === 0) return ([x]) => x!.clone();
    return ([x]) => f(x!, axes, keepDims);
  };

const kernels: { [K in ComputedOp]: Factory<K> } = {
  neg: unary(tf.neg),
  exp: unary(tf.exp),
  log: unary(tf.log),
  log1p: unary(tf.log1p),
  expm1: unary(tf.expm1),
  softplus: unary(tf.softplus),
  sigmoid: unary(tf.sigmoid),
  tanh: unary(tf.tanh),
  relu: unary(tf.relu),
  elu: unary(tf.elu),
  square: unary(tf.square),
  sqrt: unary(tf.sqrt),
  abs: unary(tf.abs),
  sign: unary(tf.sign),
  reciprocal: unary(tf.reciprocal),
  stop_gradient: (_, shapes) => noGradient(([x]) => x!.clone(), shapes),
  leaky_relu:
    (n) =>
    ([x]) =>
      tf.leakyRelu(x!, n.alpha),
  // tfjs's clipByValue gradient is dy inside [min, max] and 0 outside, as the program's.
  clip:
    (n) =>
    ([x]) =>
      tf.clipByValue(x!, n.min, n.max),
  add: binary(tf.add),
  sub: binary(tf.sub),
  mul: binary(tf.mul),
  div: binary(tf.div),
  less: comparison(tf.less),
  greater: comparison(tf.greater),
  equal: comparison(tf.equal),
  where: (_, shapes) => {
    // The condition c ≠ 0 as a bool tensor, cut off from autodiff; tf.where broadcasts all three
    // operands and routes dy to a or b by the condition (its own Select gradient).
    const cond = noGradient(([c]) => tf.notEqual(c!, 0), [shapes[0]!]);
    return ([c, a, b]) => {
      const mask = cond([c!]);
      const y = tf.where(mask, a!, b!);
      mask.dispose();
      return y;
    };
  },
  matmul,
  sum: reduction((x, axes, keep) => tf.sum(x, axes, keep)),
  mean: reduction((x, axes, keep) => tf.mean(x, axes, keep)),
  max: reduction((x, axes, keep) => tf.max(x, axes, keep)),
  // log Σ exp, computed by tfjs with the maximum subtracted first.
  logsumexp: reduction((x, axes, keep) => tf.logSumExp(x, axes, keep)),
  argmax: (n, shapes) =>
    noGradient(
      ([x]) => tf.expandDims(tf.cast(tf.argMax(x!, n.axis), "float32"), n.axis),
      shapes,
    ),
  reshape: (n) => {
    const shape = [...n.shape];
    return ([x]) => tf.reshape(x!, shape);
  },
  slice: (n) => {
    const begin = [...n.begin];
    const size = [...n.size];
    return ([x]) => tf.slice(x!, begin, size);
  },
  concat: (n) => (xs) => tf.concat(xs as tf.Tensor[], n.axis),
  tile: (n) => {
    // Copies concatenated along each repeated axis: the values of tf.tile, ~20× faster on wasm
    // (whose Tile kernel is slow) and with no temporary of the output's size for one axis.
    const reps = [...n.reps];
    return ([x]) =>
      tf.tidy(() =>
        reps.reduce(
          (t, r, axis) =>
            r === 1 ? t : tf.concat(new Array<tf.Tensor>(r).fill(t), axis),
          x!,
        ),
      );
  },
  transpose: (n) => {
    const perm = [...n.perm];
    return ([x]) => tf.transpose(x!, perm);
  },
  broadcast: (n) => {
    const shape = [...n.shape];
    // x + zeros of the target shape: ~10× faster on wasm than tf.broadcastTo (a Tile).
    return ([x]) => tf.tidy(() => tf.add(x!, tf.zeros(shape)));
  },
};

/** The ops that have a tfjs kernel (every op but the leaves). */
export const tfjsOps: readonly string[] = Object.keys(kernels);

/** The kernel of a computed node, given its inputs' shapes. */
export function kernelFor(node: Node, inputShapes: readonly Shape[]): Kernel {
  if (node.op === "input" || node.op === "param" || node.op === "const")
    throw new Error(`${node.op} nodes have no kernel`);
  const factory = kernels[node.op] as Factory<ComputedOp> | undefined;
  if (factory === undefined)
    throw new Error(`the tfjs engine has no kernel for op '${node.op}'`);
  return factory(node as SpecOf<ComputedOp>, inputShapes);
}
