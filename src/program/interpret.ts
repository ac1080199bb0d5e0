// The float64 reference interpreter: the oracle every engine's float32 results and every
// gradient rule (against central finite differences) are checked with. Plain loops, exact op
// semantics, no performance tricks.
import {
  binaryOps,
  compareOps,
  reduceOps,
  sameShape,
  sizeOf,
  type Node,
  type Program,
  type ReduceOp,
  type Shape,
} from "./graph.js";
import {
  binaryFunction,
  mapBinary,
  mapUnary,
  unaryFunction,
  where,
} from "./interpret/elementwise.js";
import {
  broadcast,
  concat,
  matmul,
  slice,
  tile,
  transpose,
} from "./interpret/layout.js";
import { argmax, reduce } from "./interpret/reduce.js";
import { ProgramError } from "./shapes.js";

/** A dense float64 array, row-major. */
export interface NdArray {
  shape: number[];
  data: Float64Array;
}

const fmt = (s: Shape): string => `[${s.join(", ")}]`;
const broadcasting = new Set<string>([...binaryOps, ...compareOps]);
const reductions = new Set<string>(reduceOps);

/** Every input and param of the program must be fed, with its exact shape and matching data. */
function checkFeeds(program: Program, feeds: Record<string, NdArray>): void {
  const ports = [
    ...program.inputs.map((p) => ({ ...p, kind: "input" })),
    ...program.params.map((p) => ({ ...p, kind: "param" })),
  ];
  for (const p of ports) {
    const f = feeds[p.name];
    if (f === undefined)
      throw new ProgramError(
        `interpret: feed '${p.name}' is missing (${p.kind} of shape ${fmt(p.shape)})`,
      );
    if (!sameShape(f.shape, p.shape))
      throw new ProgramError(
        `interpret: feed '${p.name}' has shape ${fmt(f.shape)}, but the ${p.kind} has shape ${fmt(p.shape)}`,
      );
    if (f.data.length !== sizeOf(p.shape))
      throw new ProgramError(
        `interpret: feed '${p.name}' of shape ${fmt(f.shape)} has ${f.data.length} values, not ${sizeOf(p.shape)}`,
      );
  }
}

/** The value of one node from the values of its inputs. */
function evalNode(
  node: Node,
  xs: readonly NdArray[],
  feeds: Record<string, NdArray>,
): Float64Array {
  const x = xs[0]!;
  if (node.op === "input" || node.op === "param") return feeds[node.name]!.data;
  if (node.op === "const") return Float64Array.from(node.value);
  const f = unaryFunction(node);
  if (f !== undefined) return mapUnary(x.data, f);
  const g = binaryFunction(node);
  if (g !== undefined && broadcasting.has(node.op))
    return mapBinary(x, xs[1]!, node.shape, g);
  if (reductions.has(node.op)) {
    const r = node as Node & { op: ReduceOp; axes: readonly number[] };
    return reduce(r.op, x, r.axes, sizeOf(node.shape));
  }
  switch (node.op) {
    case "where":
      return where(x, xs[1]!, xs[2]!, node.shape);
    case "matmul":
      return matmul(x, xs[1]!, node.transA, node.transB);
    case "argmax":
      return argmax(x, node.axis);
    case "reshape":
      return x.data;
    case "slice":
      return slice(x, node.begin, node.size);
    case "concat":
      return concat(xs, node.axis);
    case "tile":
      return tile(x, node.reps);
    case "transpose":
      return transpose(x, node.perm);
    case "broadcast":
      return broadcast(x, node.shape);
    default:
      throw new ProgramError(`interpret: unknown op '${node.op}'`);
  }
}

/** Runs `program` in float64: `feeds` holds every input and param by name (extra feeds are ignored). Returns outputs by name. */
export function interpret(
  program: Program,
  feeds: Record<string, NdArray>,
): Record<string, NdArray> {
  checkFeeds(program, feeds);
  const values: NdArray[] = [];
  for (const node of program.nodes) {
    const xs = node.inputs.map((i) => values[i]!);
    const data = evalNode(node, xs, feeds);
    if (data.length !== sizeOf(node.shape))
      throw new ProgramError(
        `interpret: ${node.op} node ${node.id} made ${data.length} values for shape ${fmt(node.shape)}`,
      );
    values[node.id] = { shape: [...node.shape], data };
  }
  const out: Record<string, NdArray> = {};
  for (const p of program.outputs) {
    const v = values[p.id]!;
    out[p.name] = { shape: [...v.shape], data: Float64Array.from(v.data) };
  }
  return out;
}
