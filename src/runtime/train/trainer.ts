// The training loop: Adam on mean(recon + β·KL) over seeded batches; metrics read back from the
// device every few steps; a checkpoint and a metrics line written atomically after every epoch;
// `resumeFrom` continues from a checkpoint exactly; a non-finite term, weight or optimizer value
// stops training, names it, and never reaches a checkpoint.
import * as tf from "@tensorflow/tfjs";
import type { IrModel } from "../../compiler/ir/types.js";
import { IoError } from "../io/files.js";
import { LoweredModel } from "../lower/model.js";
import { deriveSeed, Stream } from "../lower/seeds.js";
import type { RunDir } from "../run/run-dir.js";
import type { DeviceData } from "./batches.js";
import {
  NonFiniteTensorError,
  restoreOptimizer,
  restoreVariables,
  snapshotTensors,
  type Checkpoint,
  type MetricsRow,
} from "./checkpoint.js";
import { irHash } from "./ir-hash.js";
import { makeOptimizer, type TrainOptimizer } from "./optimizers.js";
import { betaAt } from "./schedule.js";
import { heldOut } from "./test-elbo.js";

/** How many steps' metrics stay on the device before one read-back. */
const READBACK_EVERY = 25;

export class NonFiniteError extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    /** What became non-finite: "reconstruction term", "KL term", "loss", "weights of …". */
    readonly term: string,
    /** The epoch of the checkpoint on disk, or null when none was written yet. */
    readonly lastGoodEpoch: number | null,
  ) {
    super(
      `the ${term} became non-finite at epoch ${epoch}, step ${step}; training stopped, and ${
        lastGoodEpoch === null
          ? "no checkpoint was written yet"
          : `the checkpoint on disk (after epoch ${lastGoodEpoch}) is kept`
      }`,
    );
  }
}

export interface TrainConfig {
  run: RunDir;
  epochs: number;
  batch: number;
  seed: number;
  /** The run's checkpoint to continue from (RunDir.load), or undefined to start afresh. */
  resumeFrom?: Checkpoint;
  /** Called after every epoch with its metrics row and all rows so far. */
  onEpoch?: (row: MetricsRow, all: MetricsRow[]) => void;
  /** Called every READBACK_EVERY steps with (steps done in the epoch, steps per epoch). */
  onProgress?: (done: number, total: number, loss: number) => void;
}

/** One epoch's inputs: what stays the same from step to step. */
interface EpochContext {
  ir: IrModel;
  model: LoweredModel;
  optimizer: TrainOptimizer;
  data: DeviceData;
  test: DeviceData | null;
  config: TrainConfig;
  steps: number;
  /** The epoch of the checkpoint on disk (null: none yet), for the non-finite message. */
  saved: number | null;
}

/** Trains `ir` on `data`; returns the model and every epoch's metrics. */
export async function train(
  ir: IrModel,
  data: DeviceData,
  test: DeviceData | null,
  config: TrainConfig,
): Promise<{ model: LoweredModel; metrics: MetricsRow[] }> {
  const { run } = config;
  run.create();
  if (!config.resumeFrom && run.hasCheckpoint())
    throw new IoError(
      `${run.path} already holds a checkpoint: resume it, or train into another directory`,
    );
  const model = new LoweredModel(ir, config.seed);
  const optimizer = makeOptimizer(ir.train, [...model.variables.values()]);
  const ctx: EpochContext = {
    ir,
    model,
    optimizer,
    data,
    test,
    config,
    steps: data.batchCount(config.batch),
    saved: null,
  };
  try {
    const hashes = { irHash: irHash(ir), runHash: run.runInfoHash() };
    const metrics = config.resumeFrom
      ? await restore(ctx, config.resumeFrom, hashes.irHash)
      : [];
    run.writeModel(ir);
    for (let epoch = ctx.saved ?? 0; epoch < config.epochs; epoch++) {
      const row = await trainEpoch(ctx, epoch);
      metrics.push(row);
      saveCheckpoint(ctx, {
        epoch: epoch + 1,
        ...hashes,
        ...(await snapshotTensors(model.variables, optimizer)),
        metrics,
      });
      ctx.saved = epoch + 1;
      run.writeMetrics(metrics);
      config.onEpoch?.(row, metrics);
    }
    return { model, metrics };
  } catch (err) {
    model.dispose();
    throw err;
  } finally {
    optimizer.dispose();
  }
}

/** Loads `ckpt` into the model and optimizer; returns its metrics rows. */
async function restore(
  ctx: EpochContext,
  ckpt: Checkpoint,
  hash: string,
): Promise<MetricsRow[]> {
  const path = ctx.config.run.checkpointPath;
  if (ckpt.irHash !== hash)
    throw new IoError(`${path} belongs to another model than the one training`);
  restoreVariables(ctx.model.variables, ckpt, path);
  await restoreOptimizer(ctx.optimizer, ckpt, path);
  ctx.saved = ckpt.epoch;
  return ckpt.metrics.slice();
}

/** Writes the checkpoint, or stops training if a value in it is not finite. */
function saveCheckpoint(ctx: EpochContext, ckpt: Checkpoint): void {
  try {
    ctx.config.run.writeCheckpoint(ckpt);
  } catch (err) {
    if (!(err instanceof NonFiniteTensorError)) throw err;
    const what = ctx.model.variables.has(err.tensor)
      ? `weights of ${err.tensor}`
      : `optimizer state ${err.tensor}`;
    throw new NonFiniteError(ckpt.epoch, ctx.steps, what, ctx.saved);
  }
}

/** A step's statistics, still on the device. */
interface Pending {
  stats: tf.Tensor1D;
  step: number;
  size: number;
  beta: number;
}

type Sums = {
  loss: number;
  recon: number;
  kl: number;
  beta: number;
  n: number;
};

/** Reads `pending` back into `sums`; throws NonFiniteError at the first non-finite value. */
function readBack(
  ctx: EpochContext,
  pending: Pending[],
  sums: Sums,
  epoch: number,
): void {
  const stacked = tf.stack(pending.map((p) => p.stats));
  const values = stacked.dataSync();
  tf.dispose([stacked, ...pending.map((p) => p.stats)]);
  pending.forEach((p, i) => {
    const [loss, recon, kl] = [
      values[3 * i]!,
      values[3 * i + 1]!,
      values[3 * i + 2]!,
    ];
    const term = !Number.isFinite(recon)
      ? "reconstruction term"
      : !Number.isFinite(kl)
        ? "KL term"
        : !Number.isFinite(loss)
          ? "loss"
          : undefined;
    if (term !== undefined)
      throw new NonFiniteError(epoch + 1, p.step + 1, term, ctx.saved);
    sums.loss += loss * p.size;
    sums.recon += recon * p.size;
    sums.kl += kl * p.size;
    sums.beta += p.beta * p.size;
    sums.n += p.size;
  });
}

async function trainEpoch(
  ctx: EpochContext,
  epoch: number,
): Promise<MetricsRow> {
  const { ir, model, optimizer, data, config, steps } = ctx;
  const varList = [...model.variables.values()];
  const began = performance.now();
  const order = data.order(config.seed, epoch, true);
  const sums: Sums = { loss: 0, recon: 0, kl: 0, beta: 0, n: 0 };
  let pending: Pending[] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const stepSeed = deriveSeed(config.seed, epoch, step);
      const beta = betaAt(ir.beta, epoch + step / steps);
      const batch = data.batch(order, step, config.batch, stepSeed);
      const size = batch.values().next().value!.shape[0];
      let stats: tf.Tensor1D | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const l = model.loss(batch, stepSeed, beta);
        stats = tf.keep(tf.stack([l.loss, l.recon, l.kl]) as tf.Tensor1D);
        return l.loss;
      }, varList);
      optimizer.apply(grads);
      tf.dispose([value, ...Object.values(grads), ...batch.values()]);
      pending.push({ stats: stats!, step, size, beta });
      if (pending.length >= READBACK_EVERY || step === steps - 1) {
        const read = pending;
        pending = [];
        readBack(ctx, read, sums, epoch);
        config.onProgress?.(step + 1, steps, sums.loss / sums.n);
        // Let signal handlers run (Ctrl-C prints how to resume; src/cli/interrupt.ts).
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    tf.dispose(pending.map((p) => p.stats));
    order.dispose();
  }
  const seconds = (performance.now() - began) / 1000;
  const held = ctx.test
    ? heldOut(model, ctx.test, deriveSeed(config.seed, Stream.eval))
    : null;
  return {
    epoch: epoch + 1,
    loss: sums.loss / sums.n,
    recon: sums.recon / sums.n,
    kl: sums.kl / sums.n,
    beta: sums.beta / sums.n,
    test_elbo: held?.elbo ?? null,
    ...(held?.accuracy ? { test_accuracy: held.accuracy } : {}),
    seconds,
    examples_per_sec: sums.n / seconds,
  };
}
