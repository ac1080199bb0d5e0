// Static shape inference for every op: a program's shapes are known when it is built, so a
// mistake in the model's math is reported at build time, naming the op and the shapes.
import {
  binaryOps,
  broadcastShapes,
  compareOps,
  reduceOps,
  sizeOf,
  unaryOps,
  type NodeSpec,
  type Shape,
} from "./graph.js";

export class ProgramError extends Error {}

const elementwise = new Set<string>([...unaryOps, "leaky_relu", "clip"]);
const broadcasting = new Set<string>([...binaryOps, ...compareOps, "where"]);
const reductions = new Set<string>(reduceOps);

function fail(spec: NodeSpec, shapes: readonly Shape[], why: string): never {
  const s = shapes.map((x) => `[${x.join(", ")}]`).join(", ");
  throw new ProgramError(`${spec.op}(${s}): ${why}`);
}

function axisIn(
  spec: NodeSpec,
  shapes: readonly Shape[],
  axis: number,
  rank: number,
): void {
  if (!Number.isInteger(axis) || axis < 0 || axis >= rank)
    fail(spec, shapes, `axis ${axis} is not in [0, ${rank})`);
}

function matmulShape(
  spec: Extract<NodeSpec, { op: "matmul" }>,
  shapes: readonly Shape[],
): number[] {
  const [a, b] = shapes as [Shape, Shape];
  if (a.length !== 2 || b.length !== 2)
    fail(spec, shapes, "matmul takes 2-D operands");
  const [m, ka] = spec.transA ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [kb, n] = spec.transB ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  if (ka !== kb) fail(spec, shapes, `inner sizes ${ka} and ${kb} differ`);
  return [m, n];
}

function reduceShape(
  spec: NodeSpec & { axes: readonly number[]; keepDims: boolean },
  shapes: readonly Shape[],
): number[] {
  const x = shapes[0]!;
  for (const a of spec.axes) axisIn(spec, shapes, a, x.length);
  if (new Set(spec.axes).size !== spec.axes.length)
    fail(spec, shapes, "repeated axis");
  if (spec.keepDims) return x.map((d, i) => (spec.axes.includes(i) ? 1 : d));
  return x.filter((_, i) => !spec.axes.includes(i));
}

function sliceShape(
  spec: Extract<NodeSpec, { op: "slice" }>,
  shapes: readonly Shape[],
): number[] {
  const x = shapes[0]!;
  if (spec.begin.length !== x.length || spec.size.length !== x.length)
    fail(spec, shapes, "begin and size need one entry per axis");
  x.forEach((d, i) => {
    const b = spec.begin[i]!;
    const s = spec.size[i]!;
    if (b < 0 || s < 0 || b + s > d)
      fail(spec, shapes, `axis ${i}: [${b}, ${b + s}) exceeds ${d}`);
  });
  return [...spec.size];
}

function concatShape(
  spec: Extract<NodeSpec, { op: "concat" }>,
  shapes: readonly Shape[],
): number[] {
  const first = shapes[0];
  if (first === undefined) fail(spec, shapes, "needs at least one input");
  axisIn(spec, shapes, spec.axis, first.length);
  let total = 0;
  for (const s of shapes) {
    if (
      s.length !== first.length ||
      s.some((d, i) => i !== spec.axis && d !== first[i])
    )
      fail(spec, shapes, `inputs differ off axis ${spec.axis}`);
    total += s[spec.axis]!;
  }
  return first.map((d, i) => (i === spec.axis ? total : d));
}

function structuralShape(spec: NodeSpec, shapes: readonly Shape[]): number[] {
  const x = shapes[0]!;
  switch (spec.op) {
    case "reshape":
      if (sizeOf(spec.shape) !== sizeOf(x))
        fail(spec, shapes, `cannot reshape to [${spec.shape.join(", ")}]`);
      return [...spec.shape];
    case "tile":
      if (spec.reps.length !== x.length)
        fail(spec, shapes, "reps needs one entry per axis");
      return x.map((d, i) => d * spec.reps[i]!);
    case "transpose": {
      const sorted = [...spec.perm].sort((p, q) => p - q);
      if (spec.perm.length !== x.length || sorted.some((p, i) => p !== i))
        fail(
          spec,
          shapes,
          `perm [${spec.perm.join(", ")}] is not a permutation of the axes`,
        );
      return spec.perm.map((p) => x[p]!);
    }
    case "broadcast": {
      const out = broadcastShapes(x, spec.shape);
      if (out === undefined || !out.every((d, i) => d === spec.shape[i]))
        fail(spec, shapes, `does not broadcast to [${spec.shape.join(", ")}]`);
      return out;
    }
    case "argmax":
      axisIn(spec, shapes, spec.axis, x.length);
      return x.map((d, i) => (i === spec.axis ? 1 : d));
    default:
      return fail(spec, shapes, "unknown op");
  }
}

/** The shape of `spec` applied to inputs of the given shapes; throws ProgramError when they do not fit. */
export function inferShape(spec: NodeSpec, shapes: readonly Shape[]): number[] {
  const arity = (n: number): void => {
    if (shapes.length !== n) fail(spec, shapes, `takes ${n} input(s)`);
  };
  if (spec.op === "input" || spec.op === "param" || spec.op === "const")
    fail(spec, shapes, "leaves are made by the builder");
  if (elementwise.has(spec.op)) {
    arity(1);
    return [...shapes[0]!];
  }
  if (broadcasting.has(spec.op)) {
    arity(spec.op === "where" ? 3 : 2);
    let out: number[] | undefined = [...shapes[0]!];
    for (const s of shapes.slice(1)) out = out && broadcastShapes(out, s);
    if (out === undefined) fail(spec, shapes, "shapes do not broadcast");
    return out;
  }
  if (spec.op === "matmul") {
    arity(2);
    return matmulShape(spec, shapes);
  }
  if (reductions.has(spec.op)) {
    arity(1);
    return reduceShape(
      spec as NodeSpec & { axes: number[]; keepDims: boolean },
      shapes,
    );
  }
  if (spec.op === "concat") return concatShape(spec, shapes);
  arity(1);
  if (spec.op === "slice") return sliceShape(spec, shapes);
  return structuralShape(spec, shapes);
}
