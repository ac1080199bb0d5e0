// Reverse-mode automatic differentiation on the tensor program (backpropagation): seed the
// output's cotangent, visit nodes in reverse topological order, and let each node's VJP rule
// (vjp.ts) pass cotangents to its inputs, summing the contributions of a value used several
// times (the multivariate chain rule). The gradient is appended to the same builder, so it is
// again a program, and only nodes on a path from some wrt to y are differentiated: the
// gradient of a dense layer with respect to its kernel never computes one for the data.
import { addAll, Sym } from "./builder.js";
import { sameShape, type Node } from "./graph.js";
import { ProgramError } from "./shapes.js";
import { vjps, type DiffOp, type Vjp } from "./vjp.js";

const fmt = (s: readonly number[]): string => `[${s.join(", ")}]`;
const isLeaf = (n: Node): boolean =>
  n.op === "input" || n.op === "param" || n.op === "const";

/** Nodes [0, y] that depend on some wrt and that y depends on: those on a path wrt → y. */
function onPaths(
  nodes: readonly Node[],
  y: number,
  wrt: ReadonlySet<number>,
): boolean[] {
  const fromWrt = new Array<boolean>(y + 1).fill(false);
  for (let id = 0; id <= y; id++)
    fromWrt[id] = wrt.has(id) || nodes[id]!.inputs.some((i) => fromWrt[i]);
  const toY = new Array<boolean>(y + 1).fill(false);
  toY[y] = true;
  for (let id = y; id >= 0; id--)
    if (toY[id]) for (const i of nodes[id]!.inputs) toY[i] = true;
  return fromWrt.map((f, id) => f && toY[id]!);
}

/** The cotangent of y: dy when given (y's shape), else 1 for a scalar y. */
function seed(y: Sym, dy: Sym | undefined): Sym {
  if (dy === undefined) {
    if (y.rank !== 0)
      throw new ProgramError(
        `gradients: y has shape ${fmt(y.shape)}; a non-scalar y needs dy`,
      );
    return y.builder.constant(1);
  }
  if (dy.builder !== y.builder)
    throw new ProgramError("gradients: dy is a value of another program");
  if (!sameShape(dy.shape, y.shape))
    throw new ProgramError(
      `gradients: dy has shape ${fmt(dy.shape)}, y has shape ${fmt(y.shape)}`,
    );
  return dy;
}

/** Runs node `id`'s VJP on cotangent g and records the contributions to its needed inputs. */
function backward(
  node: Node,
  g: Sym,
  relevant: readonly boolean[],
  cotangents: Map<number, Sym[]>,
): void {
  const b = g.builder;
  const needs = node.inputs.map((i) => relevant[i]!);
  if (!needs.some(Boolean)) return;
  const inputs = node.inputs.map((i) => new Sym(b, i, b.nodes[i]!.shape));
  const out = new Sym(b, node.id, node.shape);
  const rule = vjps[node.op as DiffOp] as Vjp;
  const grads = rule(node as Node & { op: DiffOp }, inputs, out, g, needs);
  node.inputs.forEach((i, j) => {
    const gi = grads[j];
    if (!needs[j] || gi === null || gi === undefined) return;
    if (!sameShape(gi.shape, inputs[j]!.shape))
      throw new ProgramError(
        `gradients: the VJP of ${node.op} gave input ${j} a cotangent of shape ${fmt(gi.shape)}, not ${fmt(inputs[j]!.shape)}`,
      );
    const list = cotangents.get(i);
    if (list === undefined) cotangents.set(i, [gi]);
    else list.push(gi);
  });
}

/**
 * Appends to y's builder the gradient of y with respect to each of `wrt`. y is a scalar unless
 * `dy` (same shape as y) is given, in which case the result is the vector-Jacobian product
 * dyᵀ·∂y/∂w. A wrt that y does not depend on gets zeros of its shape.
 */
export function gradients(y: Sym, wrt: readonly Sym[], dy?: Sym): Sym[] {
  const b = y.builder;
  for (const w of wrt)
    if (w.builder !== b)
      throw new ProgramError("gradients: a wrt is a value of another program");
  const relevant = onPaths(b.nodes, y.id, new Set(wrt.map((w) => w.id)));
  const cotangents = new Map<number, Sym[]>([[y.id, [seed(y, dy)]]]);
  for (let id = y.id; id >= 0; id--) {
    const parts = cotangents.get(id);
    if (!relevant[id] || parts === undefined) continue;
    const g = parts.length === 1 ? parts[0]! : addAll(parts);
    cotangents.set(id, [g]);
    const node = b.nodes[id]!;
    if (!isLeaf(node)) backward(node, g, relevant, cotangents);
  }
  return wrt.map((w) => {
    const g = relevant[w.id] ? cotangents.get(w.id)?.[0] : undefined;
    return g ?? b.constant(0).broadcastTo(w.shape);
  });
}
