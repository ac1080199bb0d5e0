// How much backend memory a model needs, estimated from its IR before any tensor exists, and the
// refusal when that is more than the backend can hold (a wasm heap that overflows aborts with
// "memory access out of bounds"; a cpu or native heap that overflows takes the machine's memory).
// Counts, in 4-byte floats: the weights, the data on the device and FullNormal's placement
// matrices; for a forward pass, its activations (rows × the floats a row makes, by layer and
// distribution family); for a training step, the optimizer's state plus the larger of its two
// peaks: the backward pass (activations, gradients, transposed kernels) or the update (gradients
// and the update's temporaries). Factors measured with tf.profile (test/runtime/lower/memory.test.ts).
import { totalmem } from "node:os";
import type { IrComponent, IrModel } from "../../compiler/ir/types.js";
import { BackendError } from "../backend.js";
import type { BackendName } from "../backend-names.js";

const FLOAT = 4;
/**
 * Per parameter, by optimizer (measured with tf.profile, test/runtime/lower/memory.test.ts): the
 * state it keeps between steps, and the temporaries of its update, which tfjs keeps until the
 * update's tidy ends: vaec's Adam updates every variable in one tidy (16 temporaries per
 * parameter); tfjs's RMSProp and SGD tidy each variable, so only the largest one's count.
 */
const OPTIMIZERS: Record<
  string,
  { state: number; temporaries: number; perVariable: boolean }
> = {
  adam: { state: 2, temporaries: 16, perVariable: false },
  rmsprop: { state: 2, temporaries: 17, perVariable: true },
  sgd: { state: 0, temporaries: 9, perVariable: true },
};

/** The optimizer's state and the floats of its update's temporaries, for `parameters`. */
function optimizerFloats(
  ir: IrModel,
  parameters: number,
): { state: number; update: number } {
  const o = ir.train?.optimizer ?? { name: "adam", lr: 0 };
  const known = OPTIMIZERS[o.name] ?? OPTIMIZERS["adam"]!;
  // SGD with momentum keeps a velocity per parameter.
  const momentum = o.name === "sgd" && Number(o["momentum"] ?? 0) > 0;
  const largest = Math.max(
    0,
    ...ir.nodes.map((n) => (n.op === "dense" ? n.in * n.out : 0)),
  );
  return {
    state: parameters * (known.state + (momentum ? 1 : 0)),
    update: known.temporaries * (known.perVariable ? largest : parameters),
  };
}

/**
 * The kernels of layers whose input is another layer: the backward pass transposes each of them
 * for its input's gradient (src/runtime/lower/dense.ts).
 */
function transposedFloats(ir: IrModel): number {
  const inputs = new Set(
    ir.nodes.filter((n) => n.op === "input").map((n) => n.id),
  );
  let n = 0;
  for (const node of ir.nodes)
    if (node.op === "dense" && !inputs.has(node.input)) n += node.in * node.out;
  return n;
}

/** Floats per row and unit of width, as [forward pass, training step] (measured, see above). */
type PerRow = readonly [number, number];
/** A layer output (and the gradient it gets). */
const LAYER: PerRow = [1, 2.5];
/** A decoder's log-density per unit of its view's width (a categorical view: per class). */
const DECODER: Record<string, PerRow> = {
  bernoulli: [2, 6],
  categorical: [4, 5],
  continuous_bernoulli: [24, 30],
};
const DECODER_DEFAULT: PerRow = [7, 16];
/** Per latent dimension: encoder parameters, sample, analytic KL; per Monte Carlo KL sample. */
const LATENT: PerRow = [15, 40];
const MC_SAMPLE: PerRow = [6, 18];
/** Per latent dimension and component of a GaussianMixture prior's log-density. */
const MIXTURE: PerRow = [5, 10];
/** Per entry of a FullNormal's d×d factor. */
const FULL_NORMAL: PerRow = [12, 30];
/** tfjs indexes tensors with 32-bit integers, and a JS typed array holds at most 2³¹ − 1 floats. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;
/** wasm32's heap is 4 GiB; a quarter of it is left for allocator overhead and fragmentation. */
export const WASM_BOUND_BYTES = 3 * 2 ** 30;
/** cpu and tensorflow keep tensors in the process's memory: at most half of the machine's. */
export const HOST_FRACTION = 0.5;

export interface MemoryUse {
  /** The most rows one pass processes: the batch (training), a chunk (eval), the samples. */
  rows: number;
  /** Whether the pass computes gradients (training). */
  gradients: boolean;
  /** Examples held on the device (train plus test set), 0 when none. */
  examples: number;
}

/**
 * An evaluation's largest pass: the importance-sampling passes of evaluate.ts (5000 rows) and the
 * 12 posterior samples of each 500-row chunk in ib.ts (6000 rows), forward only.
 */
export const EVAL_ROWS: MemoryUse = {
  rows: 6000,
  gradients: false,
  examples: 0,
};

export interface MemoryEstimate {
  parameters: number;
  bytes: number;
  /** The elements of the largest single tensor. */
  largestTensor: number;
}

function widthOf(ir: IrModel, target: string): number {
  const latent = ir.latents.find((l) => l.name === target);
  if (latent) return latent.width;
  const view = ir.views.find((v) => v.name === target);
  return view?.categories ?? view?.width ?? 1;
}

function components(ir: IrModel): IrComponent[] {
  return [...ir.priors, ...ir.encoders, ...ir.decoders];
}

/** Learnable floats, counted as src/runtime/lower/variables.ts creates them. */
export function parameterCount(ir: IrModel): number {
  let n = 0;
  for (const node of ir.nodes)
    if (node.op === "dense") n += node.in * node.out + node.out;
  for (const c of components(ir)) {
    const d = widthOf(ir, c.target);
    for (const p of Object.values(c.dist.params))
      if (p.kind === "learned") n += p.shape === "scalar" ? 1 : d;
    if (c.dist.family === "mixture_normal") {
      const k = Number(c.dist.options["components"] ?? 1);
      n += k + 2 * k * d;
    }
  }
  return n;
}

function layerFloats(ir: IrModel): number {
  let n = 0;
  for (const node of ir.nodes)
    if (node.op === "dense")
      n += (node.activation === "linear" ? 2 : 3) * node.out;
    else if (node.op === "concat") n += node.out;
  return n + ir.views.reduce((s, v) => s + v.width, 0);
}

/** Floats one row of a pass makes: layer outputs, the batch, distribution terms. */
function floatsPerRow(ir: IrModel, gradients: boolean): number {
  const at = (f: PerRow): number => f[gradients ? 1 : 0];
  let n = at(LAYER) * layerFloats(ir);
  for (const c of ir.decoders)
    n += at(DECODER[c.dist.family] ?? DECODER_DEFAULT) * widthOf(ir, c.target);
  for (const latent of ir.latents) {
    const d = latent.width;
    const kl = ir.kl.find((k) => k.latent === latent.name);
    const samples = kl?.method === "mc" ? kl.samples : 0;
    n += at(LATENT) * d + at(MC_SAMPLE) * d * samples;
    const prior = ir.priors.find((c) => c.target === latent.name);
    if (prior?.dist.family === "mixture_normal")
      n +=
        at(MIXTURE) *
        Number(prior.dist.options["components"] ?? 1) *
        d *
        Math.max(1, samples);
    const posterior = ir.encoders.find((c) => c.target === latent.name);
    if (posterior?.dist.family === "full_normal") n += at(FULL_NORMAL) * d * d;
  }
  return n;
}

/**
 * Constant tensors a FullNormal uploads per pass: its placement matrices, [d(d−1)/2, d²] and
 * [d, d²] (src/runtime/distributions/full-normal.ts), kept on the host and made on the device.
 */
function fullNormalConstants(ir: IrModel): { floats: number; largest: number } {
  let floats = 0;
  let largest = 0;
  for (const c of ir.encoders) {
    if (c.dist.family !== "full_normal") continue;
    const d = widthOf(ir, c.target);
    const lower = ((d * (d - 1)) / 2) * d * d;
    // One copy on the host, and one on the device per use in a pass (sample, density, KL).
    floats += 4 * (lower + d * d * d);
    largest = Math.max(largest, lower, d * d * d);
  }
  return { floats, largest };
}

export function estimateMemory(ir: IrModel, use: MemoryUse): MemoryEstimate {
  const parameters = parameterCount(ir);
  const dataWidth = ir.views.reduce((s, v) => s + v.width, 0);
  const perRow = floatsPerRow(ir, use.gradients);
  const constants = fullNormalConstants(ir);
  const resident = parameters + use.examples * dataWidth + constants.floats;
  let floats = resident + use.rows * perRow;
  if (use.gradients) {
    // A step peaks either in the backward pass (activations, gradients, transposes) or in the
    // update (gradients and the update's temporaries), on top of the optimizer's state.
    const o = optimizerFloats(ir, parameters);
    const backward = use.rows * perRow + parameters + transposedFloats(ir);
    floats = resident + o.state + Math.max(backward, parameters + o.update);
  }
  let largestTensor = Math.max(constants.largest, use.examples * dataWidth);
  for (const node of ir.nodes)
    if (node.op === "dense")
      largestTensor = Math.max(largestTensor, node.in * node.out);
  for (const c of ir.encoders)
    if (c.dist.family === "full_normal")
      largestTensor = Math.max(
        largestTensor,
        use.rows * widthOf(ir, c.target) ** 2,
      );
  return { parameters, bytes: floats * FLOAT, largestTensor };
}

/** What `backend` can hold, in bytes, and how that bound was chosen. */
export function memoryBound(backend: BackendName | string): {
  bytes: number;
  why: string;
} {
  if (backend === "wasm")
    return {
      bytes: WASM_BOUND_BYTES,
      why: "the wasm backend's 4 GiB heap, less a quarter for the allocator",
    };
  return {
    bytes: Math.floor(HOST_FRACTION * totalmem()),
    why: `half of this machine's ${formatBytes(totalmem())} of memory`,
  };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return `${Math.ceil(bytes / 2 ** 10)} KiB`;
}

/** Throws a BackendError (exit 2) when `ir` would not fit in `backend`'s memory for `use`. */
export function assertFits(
  ir: IrModel,
  backend: BackendName | string,
  use: MemoryUse,
): void {
  const need = estimateMemory(ir, use);
  const bound = memoryBound(backend);
  const what = `model ${ir.model} (${need.parameters.toLocaleString("en-US")} parameters, ${use.rows} rows per pass)`;
  if (need.largestTensor > MAX_TENSOR_ELEMENTS)
    throw new BackendError(
      `${what} needs a tensor of ${need.largestTensor.toExponential(2)} elements, more than tfjs can index (2³¹ − 1); make the layers or the latent narrower`,
    );
  if (need.bytes > bound.bytes)
    throw new BackendError(
      `${what} needs about ${formatBytes(need.bytes)} of backend memory, more than the ${formatBytes(bound.bytes)} of ${bound.why}; make the layers narrower, or lower --batch or --limit`,
    );
}
