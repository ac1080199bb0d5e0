// One ONNX mapping per op of the tensor program (src/program/graph.ts), at opset 17 of the default
// domain. A mapping appends one or a few ONNX nodes that compute the program node from its inputs'
// value names. The table below has one entry per computing op: a new op without an ONNX mapping
// is a compile-time error.
//
// Precision: ONNX has no log1p or expm1. Both are emitted with Kahan's correction (Goldberg,
// "What every computer scientist should know about floating-point arithmetic", theorem 4), which
// keeps them accurate to a few ulps near 0, where the naive log(1 + x) and eˣ − 1 lose every
// digit to cancellation. ELU keeps ONNX's Elu (eˣ − 1 for x ≤ 0): near 0 its error is a few ulps
// of 1, absolute, which is all a network activation needs.
import type { NodeSpec, OpName, Shape } from "../../program/graph.js";

/** What a mapping may add to the graph under construction. */
export interface GraphSink {
  /** Appends a node and returns the names of its outputs (fresh names unless `outputs` given). */
  node(
    opType: string,
    inputs: readonly string[],
    attributes?: Readonly<Record<string, Attribute>>,
    outputs?: readonly string[],
  ): string[];
  /** The name of an int64 initializer holding `values` (shape [values.length]). */
  ints(values: readonly number[]): string;
  /** The name of a float32 scalar initializer holding `value`. */
  scalar(value: number): string;
}

/** An attribute value: an int, a float, or a list of ints. */
export type Attribute =
  { int: number } | { float: number } | { ints: readonly number[] };

type ComputedOp = Exclude<OpName, "input" | "param" | "const">;
type SpecOf<K extends OpName> = NodeSpec & { op: K };

/** Emits a node: its attributes, its inputs' names and shapes, its output's shape; returns its name. */
type Mapping<K extends ComputedOp> = (
  g: GraphSink,
  node: SpecOf<K> & { shape: Shape },
  xs: readonly string[],
  inputShapes: readonly Shape[],
) => string;

/** ONNX's TensorProto.DataType code of float32. */
const FLOAT = 1;

const first = (names: string[]): string => names[0]!;

const simple =
  (opType: string, attributes?: Record<string, Attribute>) =>
  (g: GraphSink, _: unknown, xs: readonly string[]): string =>
    first(g.node(opType, xs, attributes));

/** A comparison as 0/1 floats: ONNX comparisons yield bool. */
const comparison =
  (opType: string) =>
  (g: GraphSink, _: unknown, xs: readonly string[]): string =>
    first(g.node("Cast", g.node(opType, xs), { to: { int: FLOAT } }));

/**
 * log1p(x) by Kahan's correction: with u = fl(1 + x), log1p(x) = log(u) · x / (u − 1), exact
 * to a few ulps since the rounding error of u cancels between log(u) and u − 1; x itself where
 * u = 1 (|x| below half an ulp of 1, where log1p(x) = x in float32).
 */
function log1p(g: GraphSink, _: unknown, [x]: readonly string[]): string {
  const u = first(g.node("Add", [x!, g.scalar(1)]));
  const d = first(g.node("Sub", [u, g.scalar(1)]));
  const tiny = first(g.node("Equal", [d, g.scalar(0)]));
  const ratio = first(g.node("Div", [x!, d]));
  const corrected = first(g.node("Mul", g.node("Log", [u]).concat(ratio)));
  return first(g.node("Where", [tiny, x!, corrected]));
}

/**
 * expm1(x) by Kahan's correction: with u = fl(eˣ), expm1(x) = (u − 1) · x / log(u) for |x| < 1
 * (x itself where u = 1); for |x| ≥ 1, u − 1 loses at most a bit and is used as is, which also
 * avoids inf/inf when eˣ overflows.
 */
function expm1(g: GraphSink, _: unknown, [x]: readonly string[]): string {
  const u = first(g.node("Exp", [x!]));
  const um1 = first(g.node("Sub", [u, g.scalar(1)]));
  const xOverLog = first(g.node("Div", [x!, first(g.node("Log", [u]))]));
  const corrected = first(g.node("Mul", [um1, xOverLog]));
  const one = first(g.node("Equal", [u, g.scalar(1)]));
  const small = first(g.node("Where", [one, x!, corrected]));
  const near = first(g.node("Less", [first(g.node("Abs", [x!])), g.scalar(1)]));
  return first(g.node("Where", [near, small, um1]));
}

/** A reduction with axes as an attribute (opset 17's ReduceMean/Max/LogSumExp); none: identity. */
const attrReduction =
  (opType: string) =>
  (
    g: GraphSink,
    n: { axes: readonly number[]; keepDims: boolean },
    [x]: readonly string[],
  ): string =>
    n.axes.length === 0
      ? first(g.node("Identity", [x!]))
      : first(
          g.node(opType, [x!], {
            axes: { ints: n.axes },
            keepdims: { int: n.keepDims ? 1 : 0 },
          }),
        );

const mappings: { [K in ComputedOp]: Mapping<K> } = {
  neg: simple("Neg"),
  exp: simple("Exp"),
  log: simple("Log"),
  log1p,
  expm1,
  softplus: simple("Softplus"),
  sigmoid: simple("Sigmoid"),
  tanh: simple("Tanh"),
  relu: simple("Relu"),
  elu: simple("Elu", { alpha: { float: 1 } }),
  square: (g, _, [x]) => first(g.node("Mul", [x!, x!])),
  sqrt: simple("Sqrt"),
  abs: simple("Abs"),
  sign: simple("Sign"),
  reciprocal: simple("Reciprocal"),
  stop_gradient: simple("Identity"),
  leaky_relu: (g, n, xs) =>
    first(g.node("LeakyRelu", xs, { alpha: { float: n.alpha } })),
  clip: (g, n, [x]) =>
    first(g.node("Clip", [x!, g.scalar(n.min), g.scalar(n.max)])),
  add: simple("Add"),
  sub: simple("Sub"),
  mul: simple("Mul"),
  div: simple("Div"),
  less: comparison("Less"),
  greater: comparison("Greater"),
  equal: comparison("Equal"),
  // where(c, a, b): the condition c ≠ 0 as bool, then ONNX's broadcasting Where.
  where: (g, _, [c, a, b]) => {
    const isZero = first(g.node("Equal", [c!, g.scalar(0)]));
    return first(g.node("Where", [first(g.node("Not", [isZero])), a!, b!]));
  },
  // Gemm computes op(A)·op(B) with the transposes folded into the kernel (no C operand).
  matmul: (g, n, xs) =>
    first(
      g.node("Gemm", xs, {
        transA: { int: n.transA ? 1 : 0 },
        transB: { int: n.transB ? 1 : 0 },
      }),
    ),
  // ReduceSum takes its axes as an int64 input since opset 13.
  sum: (g, n, [x]) =>
    n.axes.length === 0
      ? first(g.node("Identity", [x!]))
      : first(
          g.node("ReduceSum", [x!, g.ints(n.axes)], {
            keepdims: { int: n.keepDims ? 1 : 0 },
          }),
        ),
  mean: attrReduction("ReduceMean"),
  max: attrReduction("ReduceMax"),
  logsumexp: attrReduction("ReduceLogSumExp"),
  // ArgMax picks the first index on ties (select_last_index = 0), as the program's argmax.
  argmax: (g, n, xs) =>
    first(
      g.node(
        "Cast",
        g.node("ArgMax", xs, {
          axis: { int: n.axis },
          keepdims: { int: 1 },
          select_last_index: { int: 0 },
        }),
        { to: { int: FLOAT } },
      ),
    ),
  reshape: (g, n, [x]) => first(g.node("Reshape", [x!, g.ints(n.shape)])),
  // The block [begin, begin + size): ends from the output's (resolved) shape.
  slice: (g, n, [x]) =>
    first(
      g.node("Slice", [
        x!,
        g.ints(n.begin),
        g.ints(n.begin.map((b, i) => b + n.shape[i]!)),
        g.ints(n.begin.map((_, i) => i)),
      ]),
    ),
  concat: (g, n, xs) => first(g.node("Concat", xs, { axis: { int: n.axis } })),
  tile: (g, n, [x]) => first(g.node("Tile", [x!, g.ints(n.reps)])),
  transpose: (g, n, xs) =>
    first(g.node("Transpose", xs, { perm: { ints: n.perm } })),
  broadcast: (g, n, [x]) => first(g.node("Expand", [x!, g.ints(n.shape)])),
};

/** The ops that have an ONNX mapping (every op but the leaves). */
export const onnxOps: readonly string[] = Object.keys(mappings);

/** Emits the ONNX nodes of one computed program node; returns the name of its value. */
export function emitNode(
  g: GraphSink,
  node: NodeSpec & { shape: Shape },
  xs: readonly string[],
  inputShapes: readonly Shape[],
): string {
  if (node.op === "input" || node.op === "param" || node.op === "const")
    throw new Error(`${node.op} nodes are graph inputs or initializers`);
  const mapping = mappings[node.op] as Mapping<ComputedOp> | undefined;
  if (mapping === undefined)
    throw new Error(`the ONNX engine has no mapping for op '${node.op}'`);
  return mapping(
    g,
    node as SpecOf<ComputedOp> & { shape: Shape },
    xs,
    inputShapes,
  );
}
