// Shared helpers for the runtime distributions: parameter shapes, row tiling, tape-free masks.
import * as tf from "@tensorflow/tfjs";
import type { DistParams, Distribution } from "./types.js";

export const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * What every built-in distribution also exposes beyond the contract: its parameters' batch size
 * (1 for a prior). `rsample(seed, n)` with n = S·batch returns S stacked draws (row s·batch + b is
 * draw s for example b), and `logProb` accepts such stacked rows; Monte Carlo KL relies on both.
 */
export interface BatchedDistribution extends Distribution {
  readonly batch: number;
}

export function isBatched(d: Distribution): d is BatchedDistribution {
  return typeof (d as Partial<BatchedDistribution>).batch === "number";
}

/** A required parameter, as a 2-D tensor: a scalar becomes [1, 1], a vector [1, n]. */
export function param2d(
  params: DistParams,
  name: string,
  family: string,
): tf.Tensor2D {
  const t = params[name];
  if (t === undefined) {
    const have = Object.keys(params).join(", ") || "none";
    throw new Error(
      `distribution '${family}' needs parameter '${name}' (given: ${have})`,
    );
  }
  if (t.rank === 0) return tf.reshape(t, [1, 1]);
  if (t.rank === 1) return tf.reshape(t, [1, t.shape[0]!]);
  if (t.rank === 2) return t as tf.Tensor2D;
  throw new Error(
    `distribution '${family}': parameter '${name}' must have rank ≤ 2, got shape [${t.shape.join(", ")}]`,
  );
}

/** Checks a parameter's column count is 1 (broadcast) or `cols`. */
export function checkCols(
  t: tf.Tensor2D,
  cols: number,
  name: string,
  family: string,
): void {
  const c = t.shape[1];
  if (c !== 1 && c !== cols) {
    throw new Error(
      `distribution '${family}': parameter '${name}' has ${c} columns, expected 1 or ${cols}`,
    );
  }
}

/** Checks data x is [N, width] and returns N. */
export function checkData(family: string, x: tf.Tensor, width: number): number {
  if (x.rank !== 2 || x.shape[1] !== width) {
    throw new Error(
      `distribution '${family}': data must be [N, ${width}], got [${x.shape.join(", ")}]`,
    );
  }
  return x.shape[0]!;
}

/** The common batch of several parameters: each has 1 row or the same number B. */
export function batchOf(family: string, ...ts: tf.Tensor2D[]): number {
  let b = 1;
  for (const t of ts) {
    const r = t.shape[0];
    if (r === 1) continue;
    if (b !== 1 && r !== b) {
      throw new Error(
        `distribution '${family}': parameter batch sizes ${b} and ${r} disagree`,
      );
    }
    b = r;
  }
  return b;
}

/** Number of rows a sample of a batch-`batch` distribution has: n defaults to the batch. */
export function sampleRows(family: string, batch: number, n?: number): number {
  const rows = n ?? batch;
  if (!Number.isInteger(rows) || rows < 1 || rows % batch !== 0) {
    throw new Error(
      `distribution '${family}': cannot draw ${rows} rows from parameters of batch ${batch} (need a multiple)`,
    );
  }
  return rows;
}

/**
 * A parameter [1|B, c] lined up with `rows` rows: kept as is when it has 1 row (arithmetic
 * broadcasts) or `rows` rows, tiled when rows = S·B (stacked draws).
 */
export function alignRows<T extends tf.Tensor>(t: T, rows: number): T {
  const r = t.shape[0]!;
  if (r === 1 || r === rows) return t;
  if (rows % r !== 0) {
    throw new Error(
      `cannot line up ${r} parameter rows with ${rows} data rows`,
    );
  }
  const reps = t.shape.map((_, i) => (i === 0 ? rows / r : 1));
  return tf.tile(t, reps);
}

/** Broadcasts a [1|B, 1|d] parameter to [B, d] (adds zeros: the gradient sums back correctly). */
export function full(
  t: tf.Tensor2D,
  batch: number,
  width: number,
): tf.Tensor2D {
  if (t.shape[0] === batch && t.shape[1] === width) return t;
  return tf.add(t, tf.zeros([batch, width]));
}

/**
 * Runs `f` off the gradient tape: the result has zero gradient with respect to the inputs.
 * Used for masks built with comparison ops (whose gradients tfjs lacks, PERF-NOTES) and for
 * samples that are not reparameterizable.
 */
export function noGrad<T extends tf.Tensor>(
  f: (...xs: tf.Tensor[]) => T,
  ...inputs: tf.Tensor[]
): T {
  const shapes = inputs.map((x) => x.shape);
  const dtypes = inputs.map((x) => x.dtype);
  const g = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args.slice(0, inputs.length) as tf.Tensor[];
    return {
      value: f(...xs),
      gradFunc: () => shapes.map((sh, i) => tf.zeros(sh, dtypes[i])),
    };
  });
  return g(...inputs) as T;
}

/** Uniform draws on the open interval (0, 1) (clipped away from the ends). */
export function uniform01(shape: number[], seed: number): tf.Tensor {
  return tf.clipByValue(
    tf.randomUniform(shape, 0, 1, "float32", seed),
    1e-7,
    1 - 1e-7,
  );
}

/**
 * Seeded categorical draws from logits [R, k]: `perRow` classes per row, returned as [perRow·R]
 * int32 with index s·R + r for draw s of row r. Off the tape (not differentiable).
 */
export function drawClasses(
  logits: tf.Tensor2D,
  perRow: number,
  seed: number,
): tf.Tensor1D {
  return noGrad((l) => {
    const draws = tf.multinomial(l as tf.Tensor2D, perRow, seed); // [R, perRow]
    return tf.reshape(tf.transpose(draws), [-1]) as tf.Tensor1D;
  }, logits);
}
