// The ONNX Runtime engine: each program becomes one ONNX model run by an onnxruntime-node session
// with `threads` intra-op threads. The node binding does not write outputs in place, so the state
// (learned tensors, optimizer slots) lives on the host between calls: a step feeds it in and the
// updated values it returns replace it.
import type { Program } from "../../program/graph.js";
import type { Engine, HostTensor } from "../engine.js";
import { Prepared } from "../prepared.js";
import { OnnxProgram } from "./execute.js";

export class OnnxEngine implements Engine {
  private readonly state = new Map<string, HostTensor>();
  private readonly prepared: Prepared<Promise<OnnxProgram>>;

  constructor(private readonly threads = 1) {
    this.prepared = new Prepared((p) => OnnxProgram.create(p, { threads }));
  }

  get description(): string {
    return `onnxruntime (${this.threads} thread${this.threads === 1 ? "" : "s"})`;
  }

  async run(
    program: Program,
    feeds: Readonly<Record<string, HostTensor>>,
    updates: ReadonlyMap<string, string> = new Map(),
  ): Promise<Record<string, HostTensor>> {
    const values = new Map<string, HostTensor>();
    for (const port of [...program.inputs, ...program.params]) {
      const value = feeds[port.name] ?? this.state.get(port.name);
      if (value === undefined)
        throw new Error(`program input '${port.name}' is neither fed nor held`);
      values.set(port.name, value);
    }
    const outputs = await (await this.prepared.get(program)).run(values);
    const out: Record<string, HostTensor> = {};
    for (const [name, t] of outputs) {
      const target = updates.get(name);
      if (target !== undefined) this.state.set(target, t);
      else out[name] = t;
    }
    return out;
  }

  setState(values: Readonly<Record<string, HostTensor>>): void {
    for (const [name, v] of Object.entries(values))
      this.state.set(name, { shape: [...v.shape], data: v.data.slice() });
  }

  getState(names: readonly string[]): Record<string, HostTensor> {
    const out: Record<string, HostTensor> = {};
    for (const name of names) {
      const t = this.state.get(name);
      if (t === undefined) throw new Error(`the engine holds no '${name}'`);
      out[name] = { shape: [...t.shape], data: t.data.slice() };
    }
    return out;
  }

  hasState(name: string): boolean {
    return this.state.has(name);
  }

  dispose(): void {
    this.state.clear();
    const programs = this.prepared.drain();
    // Sessions free their native memory when released; nothing waits on it.
    for (const p of programs)
      void p.then((s) => s.release()).catch(() => undefined);
  }
}
