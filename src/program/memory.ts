// How many floats running a program needs at its peak, from its static shapes: the values alive
// at each step when every value is freed after its last use (what the engines do). Inputs and
// learned tensors are not counted: the caller owns them (feeds, engine-resident state).
import { sizeOf, type Program } from "./graph.js";

export function peakFloats(program: Program): number {
  const lastUse = new Array<number>(program.nodes.length).fill(-1);
  for (const n of program.nodes) for (const i of n.inputs) lastUse[i] = n.id;
  for (const o of program.outputs) lastUse[o.id] = program.nodes.length;
  let live = 0;
  let peak = 0;
  const freeAt = new Map<number, number[]>();
  for (const n of program.nodes) {
    if (n.op === "input" || n.op === "param") continue;
    live += sizeOf(n.shape);
    peak = Math.max(peak, live);
    const end = lastUse[n.id]!;
    if (end < 0) live -= sizeOf(n.shape);
    else freeAt.set(end, [...(freeAt.get(end) ?? []), n.id]);
    for (const id of freeAt.get(n.id) ?? [])
      live -= sizeOf(program.nodes[id]!.shape);
  }
  return peak;
}
