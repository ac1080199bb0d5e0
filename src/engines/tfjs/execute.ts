// Executes a tensor program (src/program/graph.ts) with tfjs ops. Preparing a program does the
// work that does not change between steps: constants are uploaded once, each node gets its
// kernel (src/engines/tfjs/kernels.ts), and the last use of every intermediate is found, so a run
// disposes each intermediate as soon as its last user has run — the peak memory of a run is that
// of its widest cut, not of the whole graph, which matters for large evaluation chunks.
import * as tf from "@tensorflow/tfjs";
import { sameShape, type Program, type Shape } from "../../program/graph.js";
import { kernelFor, type Kernel } from "./kernels.js";

/** One computed node: its kernel, its inputs, and what to free once it has run. */
interface Step {
  id: number;
  op: string;
  inputs: readonly number[];
  kernel: Kernel;
  /** Intermediates whose last user this node is (possibly itself, when nothing uses it). */
  frees: readonly number[];
}

interface Feed {
  id: number;
  name: string;
  shape: Shape;
}

/** A program prepared for tfjs: constants uploaded once, the node order and last uses precomputed. */
export class TfjsProgram {
  private readonly size: number;
  private readonly feeds: readonly Feed[];
  private readonly constants: readonly { id: number; tensor: tf.Tensor }[];
  private readonly steps: readonly Step[];
  /** Outputs by name; `copy` when the value is not the run's to give away (a feed, a constant, a repeat). */
  private readonly outputs: readonly {
    name: string;
    id: number;
    copy: boolean;
  }[];
  private disposed = false;

  constructor(program: Program) {
    const { nodes } = program;
    this.size = nodes.length;
    this.feeds = [...program.inputs, ...program.params].map((p) => ({
      id: p.id,
      name: p.name,
      shape: p.shape,
    }));
    this.constants = nodes.flatMap((n) =>
      n.op === "const"
        ? [
            {
              id: n.id,
              tensor: tf.keep(
                tf.tensor(Float32Array.from(n.value), [...n.shape], "float32"),
              ),
            },
          ]
        : [],
    );
    const isOutput = new Set(program.outputs.map((p) => p.id));
    const seen = new Set<number>();
    this.outputs = program.outputs.map((p) => {
      const leaf = isLeaf(nodes[p.id]!.op);
      const copy = leaf || seen.has(p.id);
      seen.add(p.id);
      return { name: p.name, id: p.id, copy };
    });
    this.steps = plan(program, isOutput);
  }

  /**
   * Runs the program: `feeds` holds every input and param by name (tf.Tensors, float32; not
   * disposed). Returns the outputs by name; the caller owns (disposes) them.
   */
  run(feeds: ReadonlyMap<string, tf.Tensor>): Map<string, tf.Tensor> {
    if (this.disposed) throw new Error("this program has been disposed");
    const values: (tf.Tensor | undefined)[] = new Array(this.size);
    for (const f of this.feeds) values[f.id] = checkedFeed(feeds, f);
    for (const c of this.constants) values[c.id] = c.tensor;
    const owned: number[] = [];
    try {
      for (const s of this.steps) {
        const args = s.inputs.map((i) => values[i]!);
        let y = s.kernel(args);
        // A kernel that returned an input as is (an identity) gets a copy of its own to free.
        if (args.includes(y)) y = y.clone();
        values[s.id] = y;
        owned.push(s.id);
        for (const j of s.frees) {
          values[j]!.dispose();
          values[j] = undefined;
        }
      }
    } catch (e) {
      for (const j of owned) values[j]?.dispose();
      throw e;
    }
    const out = new Map<string, tf.Tensor>();
    for (const o of this.outputs) {
      const v = values[o.id]!;
      out.set(o.name, o.copy ? v.clone() : v);
    }
    return out;
  }

  /** Frees the uploaded constants; the program cannot run afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose(this.constants.map((c) => c.tensor));
  }
}

function isLeaf(op: string): boolean {
  return op === "input" || op === "param" || op === "const";
}

/** The computed nodes in order, each with its kernel and the intermediates it is the last user of. */
function plan(program: Program, isOutput: ReadonlySet<number>): Step[] {
  const { nodes } = program;
  // Last use: the largest id among a node's users (nodes are in topological order).
  const lastUse = new Map<number, number>();
  for (const n of nodes) for (const i of n.inputs) lastUse.set(i, n.id);
  const frees = new Map<number, number[]>();
  for (const n of nodes) {
    if (isLeaf(n.op) || isOutput.has(n.id)) continue;
    const at = lastUse.get(n.id) ?? n.id;
    frees.set(at, [...(frees.get(at) ?? []), n.id]);
  }
  return nodes
    .filter((n) => !isLeaf(n.op))
    .map((n) => {
      const inputShapes = n.inputs.map((i) => nodes[i]!.shape);
      return {
        id: n.id,
        op: n.op,
        inputs: n.inputs,
        kernel: labelled(n.id, n.op, kernelFor(n, inputShapes)),
        frees: frees.get(n.id) ?? [],
      };
    });
}

/** A kernel whose failures name the node. */
function labelled(id: number, op: string, k: Kernel): Kernel {
  return (xs) => {
    try {
      return k(xs);
    } catch (e) {
      const shapes = xs.map((x) => `[${x.shape.join(", ")}]`).join(", ");
      throw new Error(
        `tfjs could not run node ${id} (${op} of ${shapes}): ${(e as Error).message}`,
      );
    }
  };
}

function checkedFeed(
  feeds: ReadonlyMap<string, tf.Tensor>,
  f: Feed,
): tf.Tensor {
  const t = feeds.get(f.name);
  if (t === undefined) throw new Error(`no value fed for '${f.name}'`);
  if (!sameShape(t.shape, f.shape))
    throw new Error(
      `'${f.name}' was fed as [${t.shape.join(", ")}], the program reads [${f.shape.join(", ")}]`,
    );
  if (t.dtype !== "float32")
    throw new Error(`'${f.name}' was fed as ${t.dtype}, not float32`);
  return t;
}
