// The tfjs engine: runs programs with tfjs ops (wasm by default, the pure-JS cpu backend as a
// fallback, tfjs-node when importable; src/runtime/backend.ts picks one). State lives in tfjs
// tensors between calls; a prepared program is kept per Program object.
import * as tf from "@tensorflow/tfjs";
import type { Program } from "../../program/graph.js";
import { elideBroadcasts } from "../../program/passes.js";
import type { Engine, HostTensor } from "../engine.js";
import { Prepared } from "../prepared.js";
import { TfjsProgram } from "./execute.js";

export class TfjsEngine implements Engine {
  private readonly state = new Map<string, tf.Tensor>();
  private readonly prepared = new Prepared(
    (p: Program) => new TfjsProgram(elideBroadcasts(p)),
  );

  get description(): string {
    return `tfjs (${tf.getBackend()})`;
  }

  async run(
    program: Program,
    feeds: Readonly<Record<string, HostTensor>>,
    updates: ReadonlyMap<string, string> = new Map(),
  ): Promise<Record<string, HostTensor>> {
    const uploaded: tf.Tensor[] = [];
    const values = new Map<string, tf.Tensor>();
    for (const port of [...program.inputs, ...program.params]) {
      const fed = feeds[port.name];
      if (fed !== undefined) {
        const t = tf.tensor(fed.data, [...fed.shape], "float32");
        uploaded.push(t);
        values.set(port.name, t);
        continue;
      }
      const held = this.state.get(port.name);
      if (held === undefined)
        throw new Error(`program input '${port.name}' is neither fed nor held`);
      values.set(port.name, held);
    }
    let outputs: Map<string, tf.Tensor>;
    try {
      outputs = this.prepared.get(program).run(values);
    } finally {
      tf.dispose(uploaded);
    }
    const out: Record<string, HostTensor> = {};
    for (const [name, t] of outputs) {
      const target = updates.get(name);
      if (target !== undefined) {
        this.state.get(target)?.dispose();
        this.state.set(target, t);
      } else {
        out[name] = { shape: t.shape, data: t.dataSync() as Float32Array };
        t.dispose();
      }
    }
    return out;
  }

  setState(values: Readonly<Record<string, HostTensor>>): void {
    for (const [name, v] of Object.entries(values)) {
      this.state.get(name)?.dispose();
      this.state.set(name, tf.tensor(v.data, [...v.shape], "float32"));
    }
  }

  getState(names: readonly string[]): Record<string, HostTensor> {
    const out: Record<string, HostTensor> = {};
    for (const name of names) {
      const t = this.state.get(name);
      if (t === undefined) throw new Error(`the engine holds no '${name}'`);
      out[name] = {
        shape: t.shape,
        data: t.dataSync().slice() as Float32Array,
      };
    }
    return out;
  }

  hasState(name: string): boolean {
    return this.state.has(name);
  }

  dispose(): void {
    tf.dispose([...this.state.values()]);
    this.state.clear();
    for (const p of this.prepared.drain()) p.dispose();
  }
}
