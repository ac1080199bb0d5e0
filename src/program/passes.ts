// Rewrites of a built program that keep its meaning and make it cheaper to run. An engine picks
// the ones that suit it (src/engines/*); the program's outputs are unchanged bit for bit.
import {
  binaryOps,
  broadcastShapes,
  compareOps,
  sameShape,
  type Node,
  type Program,
} from "./graph.js";

const broadcasting = new Set<string>([...binaryOps, ...compareOps, "where"]);

/**
 * Drops `broadcast` nodes whose every user is an elementwise op that would broadcast the value
 * anyway (e.g. the gradient of a sum, dy [B, 1] stretched to [B, d] only to be multiplied by a
 * [B, d] value): the user reads the smaller value directly, so nothing of the full size is
 * materialized. A broadcast that is an output, or whose removal would change a user's shape, stays.
 */
export function elideBroadcasts(program: Program): Program {
  const { nodes } = program;
  const users = new Map<number, Node[]>();
  for (const n of nodes)
    for (const i of n.inputs) users.set(i, [...(users.get(i) ?? []), n]);
  const outputs = new Set(program.outputs.map((o) => o.id));
  const replace = new Map<number, number>();
  for (const n of nodes) {
    if (n.op !== "broadcast" || outputs.has(n.id)) continue;
    const source = n.inputs[0]!;
    const us = users.get(n.id) ?? [];
    const ok =
      us.length > 0 &&
      us.every((u) => {
        if (!broadcasting.has(u.op)) return false;
        let shape: number[] | undefined = [];
        for (const i of u.inputs) {
          const s = nodes[i === n.id ? source : i]!.shape;
          shape = shape && broadcastShapes(shape, s);
        }
        return shape !== undefined && sameShape(shape, u.shape);
      });
    if (ok) replace.set(n.id, source);
  }
  if (replace.size === 0) return program;
  const kept = nodes.filter((n) => !replace.has(n.id));
  const renumber = new Map(kept.map((n, i) => [n.id, i]));
  const target = (id: number): number => renumber.get(replace.get(id) ?? id)!;
  return {
    nodes: kept.map((n) => ({
      ...n,
      id: renumber.get(n.id)!,
      inputs: n.inputs.map(target),
    })),
    inputs: program.inputs.map((p) => ({ ...p, id: target(p.id) })),
    params: program.params.map((p) => ({ ...p, id: target(p.id) })),
    outputs: program.outputs.map((p) => ({ ...p, id: target(p.id) })),
  };
}
