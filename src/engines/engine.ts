// The engine interface: what every engine (tfjs now; ONNX Runtime and PyTorch next) implements.
// An engine executes programs (src/program/graph.ts) and keeps the model's state — learned
// tensors and optimizer slots — resident between calls, so a training step copies only the batch
// and the noise in and a few statistics out. Everything model-specific (which programs, noise,
// batches) lives above it, in src/runtime, so a new engine is one folder implementing this.
import type { Program } from "../program/graph.js";

/** A float32 array with its shape, on the host (row-major). */
export interface HostTensor {
  shape: readonly number[];
  data: Float32Array;
}

export interface Engine {
  /** What runs, for the first line of output: "tfjs (wasm)". */
  readonly description: string;
  /**
   * Runs `program`. Each input or param is read from `feeds` when named there, else from the
   * resident state of that name. Outputs named in `updates` replace the state they map to (and
   * are not returned); the other outputs are returned on the host.
   */
  run(
    program: Program,
    feeds: Readonly<Record<string, HostTensor>>,
    updates?: ReadonlyMap<string, string>,
  ): Promise<Record<string, HostTensor>>;
  /** Sets resident state (copies the values in). */
  setState(values: Readonly<Record<string, HostTensor>>): void;
  /** Copies resident state out; every name must exist. */
  getState(names: readonly string[]): Record<string, HostTensor>;
  /** Whether a state entry exists. */
  hasState(name: string): boolean;
  /** Frees the state and every prepared program. */
  dispose(): void;
}
