// Executes a tensor program with ONNX Runtime (onnxruntime-node, CPU): the program is emitted as
// one ONNX model (src/engines/onnx/emit.ts) and loaded into an inference session once, with the
// runtime's full graph optimizations (constant folding, node fusion); a run copies the feeds in
// and the outputs out. ONNX Runtime in Node has no training API, so a training step runs as an
// ordinary graph whose outputs (next weights, next optimizer slots) the caller feeds back.
import { InferenceSession, Tensor } from "onnxruntime-node";
import { sameShape, type Program, type Shape } from "../../program/graph.js";
import type { HostTensor } from "../engine.js";
import { emitOnnx } from "./emit.js";

/** A program loaded into an ONNX Runtime session. */
export class OnnxProgram {
  private released = false;

  private constructor(
    private readonly session: InferenceSession,
    private readonly feeds: readonly { name: string; shape: Shape }[],
    private readonly outputs: readonly { name: string; shape: Shape }[],
  ) {}

  /** Emits `program` and loads it, with `threads` intra-op threads (and one inter-op thread). */
  static async create(
    program: Program,
    { threads }: { threads: number },
  ): Promise<OnnxProgram> {
    const session = await InferenceSession.create(emitOnnx(program), {
      intraOpNumThreads: threads,
      interOpNumThreads: 1,
      graphOptimizationLevel: "all",
    });
    const ports = (ps: Program["inputs"]) =>
      ps.map((p) => ({ name: p.name, shape: p.shape }));
    return new OnnxProgram(
      session,
      [...ports(program.inputs), ...ports(program.params)],
      ports(program.outputs),
    );
  }

  /** Runs the program: `feeds` holds every input and param by name. Returns the outputs by name. */
  async run(
    feeds: ReadonlyMap<string, HostTensor>,
  ): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
    if (this.released) throw new Error("this program has been released");
    const inputs: Record<string, Tensor> = {};
    for (const f of this.feeds) {
      const t = feeds.get(f.name);
      if (t === undefined) throw new Error(`no value fed for '${f.name}'`);
      if (!sameShape(t.shape, f.shape))
        throw new Error(
          `'${f.name}' was fed as [${t.shape.join(", ")}], the program reads [${f.shape.join(", ")}]`,
        );
      inputs[f.name] = new Tensor("float32", t.data, [...t.shape]);
    }
    const result = await this.session.run(inputs);
    const out = new Map<string, { shape: number[]; data: Float32Array }>();
    for (const o of this.outputs) {
      const t = result[o.name]!;
      out.set(o.name, {
        shape: [...o.shape],
        data: t.data as Float32Array,
      });
    }
    return out;
  }

  /** Frees the session; the program cannot run afterwards. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}
