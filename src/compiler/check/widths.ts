// Infers every head width from the distribution parameter it feeds, checks explicit widths (and
// that none exceeds MAX_WIDTH), and turns the reachable part of the network graph into IR nodes.
import type { IrNode } from "../../ir/types.js";
import { MAX_WIDTH } from "../limits.js";
import type { Span } from "../span.js";
import type { ModelContext } from "./context.js";
import type { Demand, GraphNode, NetworkGraph } from "./networks.js";

/** Resolves widths (E040, E041, E043, E044) and returns the IR nodes reachable from `roots`, renumbered. */
export function resolveWidths(
  graph: NetworkGraph,
  ctx: ModelContext,
  roots: readonly string[],
): { nodes: IrNode[]; rename: Map<string, string> } {
  const demanded = new Map<string, Demand>();
  /** Nodes whose width exceeds MAX_WIDTH (reported): not inferred, not reported again. */
  const tooWide = new Set<string>();
  for (const d of graph.demands) {
    const n = graph.get(d.node);
    const first = demanded.get(d.node);
    if (n.pending && first === undefined) {
      demanded.set(d.node, d);
      if (d.width <= MAX_WIDTH) n.out = d.width;
      else {
        tooWide.add(n.id);
        reportTooWide(ctx, d.span, `the width of ${d.what}`, d.width);
      }
    } else if (n.pending && first!.width !== d.width) {
      ctx.report(
        d.span,
        "ConflictingWidths",
        [n.name ?? "this network", first!.width, d.width],
        `first used as ${first!.what}`,
      );
    }
  }
  const reachable = reachableFrom(graph, roots);
  const widthOk = new Map<string, boolean>();
  for (const n of graph.nodes) {
    const inputsKnown = n.inputs.every((i) => widthOk.get(i));
    if (n.op === "concat" && inputsKnown) {
      n.out = n.inputs.reduce((s, i) => s + graph.get(i).out!, 0);
      if (n.out > MAX_WIDTH) {
        tooWide.add(n.id);
        const name = n.name ? `\`${n.name}\`` : "this `concat`";
        reportTooWide(ctx, n.span, `the width of ${name}`, n.out);
      }
    }
    if (tooWide.has(n.id)) {
      widthOk.set(n.id, false);
      continue;
    }
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

function reportTooWide(
  ctx: ModelContext,
  span: Span,
  what: string,
  width: number,
): void {
  ctx.report(
    span,
    "OutOfRange",
    [what, `≤ ${MAX_WIDTH}`, width],
    `vaec caps every width at ${MAX_WIDTH} (2^20); use narrower views or latents`,
  );
}

/** The nodes `roots` read, directly or through any chain of layers (a loop: chains can be long). */
function reachableFrom(
  graph: NetworkGraph,
  roots: readonly string[],
): Set<string> {
  const reachable = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (reachable.has(id)) continue;
    reachable.add(id);
    for (const input of graph.get(id).inputs) stack.push(input);
  }
  return reachable;
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
    kernel: `${id}.kernel`,
    bias: `${id}.bias`,
    ...named,
    span: n.span,
  };
}
