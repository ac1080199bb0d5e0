// How much memory a command needs, estimated from the programs it runs before any tensor exists,
// and the refusal when that is more than the backend can hold (a wasm heap that overflows aborts
// with "memory access out of bounds"; a cpu or native heap that overflows takes the machine's
// memory). Building a program is shapes only, so this is cheap even for a model that could never
// run. In 4-byte floats, a command holds on the engine
//   resident state  the learned tensors and, when it trains, the optimizer's slots;
//   constants       every prepared program keeps its constants uploaded (FullNormal's placement
//                   matrix); each pass is prepared at most twice: at its full size and for the
//                   last, smaller batch or chunk;
// and, while one pass runs, its feeds (batch, noise, scalars, uploaded per run) and its peak of
// intermediates under last-use freeing (peakFloats, the liveness of the program's values: the
// engines free each value after its last use). A command's need is its largest pass. Backends
// that keep tensors in the process's own memory (cpu, tensorflow) also hold the data there.
import { totalmem } from "node:os";
import type { IrModel } from "../ir/types.js";
import { defaultOptimizer } from "../ir/vocabulary.js";
import { sizeOf } from "../program/graph.js";
import { peakFloats } from "../program/memory.js";
import {
  encodeProgram,
  predictiveProgram,
  priorSampleProgram,
} from "../program/model/explore.js";
import {
  evalChunkProgram,
  importanceProgram,
  trainStepProgram,
  type ModelProgram,
} from "../program/model/programs.js";
import { optimizerRule } from "../program/optimizers.js";
import { BackendError } from "./backend.js";
import type { BackendName } from "./backend-names.js";
import { ROWS_PER_PASS as IW_ROWS_PER_PASS } from "./train/evaluate.js";
import { EVAL_CHUNK } from "./train/held-out.js";
import { PREDICTIVE_SAMPLES } from "./train/ib.js";

const FLOAT = 4;
/** tfjs indexes tensors with 32-bit integers, and a JS typed array holds at most 2³¹ − 1 floats. */
export const MAX_TENSOR_ELEMENTS = 2 ** 31 - 1;
/**
 * The largest constant a program is built with (FullNormal's placement matrix, d = 75 at most):
 * constants are JS number arrays (8 bytes a value, copied per program) before an engine uploads
 * them, V8 refuses arrays longer than 2²⁷ − 1, and building one of 2²⁴ already takes a second.
 */
export const MAX_CONSTANT_ELEMENTS = 2 ** 24;
/** wasm32's heap is 4 GiB; a quarter of it is left for allocator overhead and fragmentation. */
export const WASM_BOUND_BYTES = 3 * 2 ** 30;
/** cpu and tensorflow keep tensors in the process's memory: at most half of the machine's. */
export const HOST_FRACTION = 0.5;
/** Prior draws of the samples.png a training run writes. */
const RUN_SAMPLES = 64;

/** What a command runs: training, `vae eval`, or `vae sample`'s prior draws. */
export type MemoryCommand = "train" | "evaluate" | "sample";

export interface MemoryUse {
  /** The most rows one pass processes: the batch (training), the draws (sampling). */
  rows: number;
  /** Whether the command computes gradients (training). */
  gradients: boolean;
  /** Examples the command holds on the host (train plus test set), 0 when none. */
  examples: number;
  /** The passes it runs; by default training when `gradients`, else sampling `rows` draws. */
  command?: MemoryCommand;
}

/** `vae eval`: an evaluation chunk, its importance-sampling passes and, for two-view models, the predictive. */
export const EVAL_ROWS: MemoryUse = {
  rows: EVAL_CHUNK * PREDICTIVE_SAMPLES,
  gradients: false,
  examples: 0,
  command: "evaluate",
};

/** One pass of a command: sizes in floats, `bytes` in bytes. */
export interface PassMemory {
  name: string;
  /** Inputs the run uploads: batch, noise, scalars (not resident state). */
  feeds: number;
  /** The program's constants, kept uploaded while the engine lives. */
  constants: number;
  /** The peak of its intermediates (peakFloats). */
  peak: number;
  /** The elements of its largest value. */
  largest: number;
  /** What the engine holds while it runs: state, every pass's constants, its feeds and peak. */
  bytes: number;
}

export interface MemoryEstimate {
  parameters: number;
  /** Learned tensors and optimizer slots, floats. */
  state: number;
  passes: PassMemory[];
  /** What the engine holds at the command's largest pass, bytes. */
  device: number;
  /** The data on the host, bytes. */
  host: number;
  /** What `backend` must hold: the device's bytes, plus the host's where they share one heap. */
  bytes: number;
  /** The elements of the largest single tensor. */
  largestTensor: number;
  /** The elements of the largest FullNormal placement matrix (0 without one). */
  largestConstant: number;
}

/** Learnable floats: the elements of every tensor in the IR's `parameters`. */
export function parameterCount(ir: IrModel): number {
  return ir.parameters.reduce((n, t) => n + sizeOf(t.shape), 0);
}

/**
 * The elements of each FullNormal's placement matrix, [d(d+1)/2, d²] (Cholesky posteriors: the
 * packed factor times it is L row-major), from the IR alone, so a model whose constant could
 * not even be built is refused without building it.
 */
function placementElements(ir: IrModel): number {
  let largest = 0;
  for (const c of ir.encoders)
    if (c.dist.family === "full_normal") {
      const d = c.size;
      largest = Math.max(largest, ((d * (d + 1)) / 2) * d * d);
    }
  return largest;
}

/** The largest tensor the IR names before any program is built: kernels, batches, placements. */
function irLargest(ir: IrModel, rows: number): number {
  let n = placementElements(ir);
  for (const t of ir.parameters) n = Math.max(n, sizeOf(t.shape));
  for (const v of ir.views) n = Math.max(n, rows * v.width);
  return n;
}

/** The programs a command runs, by name, built on demand. */
function passes(
  ir: IrModel,
  use: MemoryUse,
): { name: string; build: () => ModelProgram }[] {
  const command = use.command ?? (use.gradients ? "train" : "sample");
  const rows = Math.max(1, use.rows);
  const chunk =
    use.examples > 0 ? Math.min(EVAL_CHUNK, use.examples) : EVAL_CHUNK;
  if (command === "sample")
    return [{ name: "sample", build: () => priorSampleProgram(ir, rows) }];
  if (command === "train") {
    const rule = optimizerRule(ir.train?.optimizer ?? defaultOptimizer());
    return [
      { name: "train", build: () => trainStepProgram(ir, rows, rule) },
      // The held-out ELBO each epoch, then the run's pictures and samples.
      { name: "eval", build: () => evalChunkProgram(ir, chunk) },
      { name: "encode", build: () => encodeProgram(ir, chunk) },
      { name: "sample", build: () => priorSampleProgram(ir, RUN_SAMPLES) },
    ];
  }
  const times = Math.max(1, Math.floor(IW_ROWS_PER_PASS / chunk));
  const out = [
    { name: "eval", build: () => evalChunkProgram(ir, chunk) },
    { name: "importance", build: () => importanceProgram(ir, chunk, times) },
  ];
  const categorical = ir.decoders.some((d) => d.dist.family === "categorical");
  if (ir.kind === "two_view" && categorical)
    out.push({
      name: "predictive",
      build: () => predictiveProgram(ir, chunk, PREDICTIVE_SAMPLES),
    });
  return out;
}

/** Feeds, constants, peak and largest value of one program; `resident` names engine state. */
function passMemory(
  name: string,
  p: ModelProgram,
  resident: ReadonlySet<string>,
): Omit<PassMemory, "bytes"> {
  let feeds = 0;
  for (const port of p.program.inputs)
    if (!resident.has(port.name)) feeds += sizeOf(port.shape);
  let constants = 0;
  let largest = 0;
  for (const n of p.program.nodes) {
    largest = Math.max(largest, sizeOf(n.shape));
    if (n.op === "const") constants += sizeOf(n.shape);
  }
  return { name, feeds, constants, peak: peakFloats(p.program), largest };
}

/** Whether `backend` keeps tensors in the process's own memory, beside the host's data. */
const sharesHostMemory = (backend: string): boolean => backend !== "wasm";

/** The passes of `use`, built, each with the names of the engine state its program reads. */
function builtPasses(ir: IrModel, use: MemoryUse): Omit<PassMemory, "bytes">[] {
  return passes(ir, use).map(({ name, build }) => {
    const p = build();
    const resident = new Set([
      ...p.program.params.map((q) => q.name),
      ...p.updates.values(),
    ]);
    return passMemory(name, p, resident);
  });
}

/**
 * The estimate of `use` on `backend`: for each pass, its feeds and peak on top of the resident
 * state and every pass's constants (each prepared twice at most); the largest pass wins. A
 * constant also counts in its own pass's peak while it is live: at most one copy too many. A
 * model with a tensor tfjs cannot index, or a constant too large to build, is estimated from the
 * IR alone (state and placement), and its programs are never built.
 */
export function estimateMemory(
  ir: IrModel,
  use: MemoryUse,
  backend: BackendName | string = "wasm",
): MemoryEstimate {
  const parameters = parameterCount(ir);
  const slots = use.gradients
    ? optimizerRule(ir.train?.optimizer ?? defaultOptimizer()).slots.length
    : 0;
  const state = parameters * (1 + slots);
  const host = use.examples * ir.views.reduce((s, v) => s + v.width, 0) * FLOAT;
  const largestConstant = placementElements(ir);
  const fromIr = irLargest(ir, use.rows);
  const buildable =
    fromIr <= MAX_TENSOR_ELEMENTS && largestConstant <= MAX_CONSTANT_ELEMENTS;
  const list = buildable ? builtPasses(ir, use) : [];
  const constants = buildable
    ? 2 * list.reduce((s, p) => s + p.constants, 0)
    : largestConstant;
  const each = list.map((p) => ({
    ...p,
    bytes: (state + constants + p.feeds + p.peak) * FLOAT,
  }));
  const device = Math.max(
    (state + constants) * FLOAT,
    ...each.map((p) => p.bytes),
  );
  return {
    parameters,
    state,
    passes: each,
    device,
    host,
    bytes: device + (sharesHostMemory(backend) ? host : 0),
    largestTensor: Math.max(fromIr, ...list.map((p) => p.largest)),
    largestConstant,
  };
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
  const need = estimateMemory(ir, use, backend);
  const bound = memoryBound(backend);
  const what = `model ${ir.model} (${need.parameters.toLocaleString("en-US")} parameters, ${use.rows} rows per pass)`;
  if (need.largestTensor > MAX_TENSOR_ELEMENTS)
    throw new BackendError(
      `${what} needs a tensor of ${need.largestTensor.toExponential(2)} elements, more than tfjs can index (2³¹ − 1); make the layers or the latent narrower`,
    );
  if (need.largestConstant > MAX_CONSTANT_ELEMENTS)
    throw new BackendError(
      `${what} needs a FullNormal placement matrix of ${need.largestConstant.toExponential(2)} elements, more than a program can be built with (2²⁴); make the latent narrower`,
    );
  if (need.bytes > bound.bytes)
    throw new BackendError(
      `${what} needs about ${formatBytes(need.bytes)} of backend memory, more than the ${formatBytes(bound.bytes)} of ${bound.why}; make the layers narrower, or lower --batch or --limit`,
    );
}
