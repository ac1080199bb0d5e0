// Infers every head width from the distribution parameter it feeds, checks explicit widths, and
// turns the reachable part of the network graph into IR nodes.
import type { IrNode } from "../ir/types.js";
import type { ModelContext } from "./context.js";
import type { Demand, GraphNode, NetworkGraph } from "./networks.js";

/** Resolves widths (E041, E043, E044) and returns the IR nodes reachable from `roots`, renumbered. */
export function resolveWidths(
  graph: NetworkGraph,
  ctx: ModelContext,
  roots: readonly string[],
): { nodes: IrNode[]; rename: Map<string, string> } {
  const demanded = new Map<string, Demand>();
  for (const d of graph.demands) {
    const n = graph.get(d.node);
    const first = demanded.get(d.node);
    if (n.pending && first === undefined) {
      demanded.set(d.node, d);
      n.out = d.width;
    } else if (n.pending && first!.width !== d.width) {
      ctx.report(
        d.span,
        "ConflictingWidths",
        [n.name ?? "this network", first!.width, d.width],
        `first used as ${first!.what}`,
      );
    }
  }
  const reachable = new Set<string>();
  const mark = (id: string): void => {
    if (reachable.has(id)) return;
    reachable.add(id);
    graph.get(id).inputs.forEach(mark);
  };
  roots.forEach(mark);
  const widthOk = new Map<string, boolean>();
  for (const n of graph.nodes) {
    const inputsKnown = n.inputs.every((i) => widthOk.get(i));
    if (n.op === "concat" && inputsKnown)
      n.out = n.inputs.reduce((s, i) => s + graph.get(i).out!, 0);
    if (n.out === undefined && reachable.has(n.id) && inputsKnown) {
      ctx.report(
        n.span,
        "CannotInferWidth",
        [n.name ? `\`${n.name}\`` : "this network"],
        "give it a width, e.g. `linear(h, 64)` or `mlp(x, [400], relu, width: 64)`, or end a shared trunk with `dense(x, [400], relu)`",
      );
    }
    widthOk.set(n.id, inputsKnown && n.out !== undefined);
  }
  for (const d of graph.demands) {
    const n = graph.get(d.node);
    if (!n.pending && widthOk.get(n.id) && n.out !== d.width) {
      ctx.report(
        d.span,
        "WidthMismatch",
        [
          n.name
            ? `\`${n.name}\``
            : n.op === "input"
              ? `\`${n.of}\``
              : "this network",
          n.out!,
          d.what,
          d.width,
        ],
        n.op === "input"
          ? `map it first, e.g. \`linear(${n.of})\``
          : `drop the explicit width and the compiler infers ${d.width}`,
      );
    }
  }
  const rename = new Map<string, string>();
  const nodes: IrNode[] = [];
  for (const n of graph.nodes) {
    if (!reachable.has(n.id) || !widthOk.get(n.id)) continue;
    const id = `n${nodes.length}`;
    rename.set(n.id, id);
    nodes.push(toIr(n, id, rename, (i) => graph.get(i).out!));
  }
  return { nodes, rename };
}

function toIr(
  n: GraphNode,
  id: string,
  rename: Map<string, string>,
  widthOf: (id: string) => number,
): IrNode {
  const named = n.name === undefined ? {} : { name: n.name };
  if (n.op === "input")
    return { id, op: "input", of: n.of!, width: n.out!, span: n.span };
  if (n.op === "concat")
    return {
      id,
      op: "concat",
      inputs: n.inputs.map((i) => rename.get(i)!),
      out: n.out!,
      ...named,
      span: n.span,
    };
  const input = n.inputs[0]!;
  return {
    id,
    op: "dense",
    input: rename.get(input)!,
    in: widthOf(input),
    out: n.out!,
    activation: n.activation,
    ...named,
    span: n.span,
  };
}
