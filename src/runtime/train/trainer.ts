// The training loop: Adam on mean(recon + β·KL) over seeded batches; metrics read back from the
// device every few steps; a checkpoint and a metrics line written atomically after every epoch;
// `resume` continues from the last checkpoint; a non-finite term stops training and names it.
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import type { IrModel } from "../../compiler/ir/types.js";
import { writeAtomic } from "../io/files.js";
import { LoweredModel } from "../lower/model.js";
import { deriveSeed, Stream } from "../lower/seeds.js";
import type { DeviceData } from "./batches.js";
import {
  loadCheckpoint,
  saveCheckpoint,
  type MetricsRow,
} from "./checkpoint.js";
import { makeOptimizer } from "./optimizers.js";
import { betaAt } from "./schedule.js";
import { heldOut } from "./test-elbo.js";

/** How many steps' metrics stay on the device before one read-back. */
const READBACK_EVERY = 25;

export class NonFiniteError extends Error {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly term: string,
    readonly lastGoodEpoch: number,
  ) {
    super(
      `the ${term} term became non-finite at epoch ${epoch}, step ${step}; training stopped, the last good checkpoint (after epoch ${lastGoodEpoch}) is kept`,
    );
  }
}

export interface TrainConfig {
  outDir: string;
  epochs: number;
  batch: number;
  seed: number;
  resume: boolean;
  /** Called after every epoch with its metrics row and all rows so far. */
  onEpoch?: (row: MetricsRow, all: MetricsRow[]) => void;
  /** Called every READBACK_EVERY steps with (steps done in the epoch, steps per epoch). */
  onProgress?: (done: number, total: number, loss: number) => void;
}

export const checkpointPath = (dir: string): string =>
  join(dir, "checkpoint.bin");

function writeMetrics(dir: string, rows: MetricsRow[]): void {
  writeAtomic(
    join(dir, "metrics.jsonl"),
    rows.map((r) => JSON.stringify(r)).join("\n") + "\n",
  );
}

/** Trains `ir` on `data`; returns the model and every epoch's metrics. */
export async function train(
  ir: IrModel,
  data: DeviceData,
  test: DeviceData | null,
  config: TrainConfig,
): Promise<{ model: LoweredModel; metrics: MetricsRow[] }> {
  mkdirSync(config.outDir, { recursive: true });
  const model = new LoweredModel(ir, config.seed);
  const varList = [...model.variables.values()];
  const optimizer = makeOptimizer(ir.train, varList);
  let metrics: MetricsRow[] = [];
  let start = 0;
  if (config.resume && existsSync(checkpointPath(config.outDir))) {
    const ckpt = loadCheckpoint(checkpointPath(config.outDir));
    for (const [name, v] of model.variables) {
      const saved = ckpt.variables.get(name);
      if (!saved)
        throw new Error(
          `checkpoint has no variable ${name}: it belongs to another model`,
        );
      v.assign(saved);
    }
    tf.dispose([...ckpt.variables.values()]);
    if (ckpt.optimizer.length > 0) await optimizer.restore(ckpt.optimizer);
    tf.dispose(ckpt.optimizer.map((o) => o.tensor));
    metrics = ckpt.metrics.slice(0, ckpt.epoch);
    start = ckpt.epoch;
  }
  writeAtomic(
    join(config.outDir, "model.json"),
    JSON.stringify(ir, null, 2) + "\n",
  );

  const steps = data.batchCount(config.batch);
  for (let epoch = start; epoch < config.epochs; epoch++) {
    const began = performance.now();
    const order = data.order(config.seed, epoch, true);
    const sums = { loss: 0, recon: 0, kl: 0, beta: 0, n: 0 };
    let pending: Array<{
      stats: tf.Tensor1D;
      step: number;
      size: number;
      beta: number;
    }> = [];
    const flush = (): void => {
      if (pending.length === 0) return;
      const stacked = tf.stack(pending.map((p) => p.stats));
      const values = stacked.dataSync();
      stacked.dispose();
      pending.forEach((p, i) => {
        const [loss, recon, kl] = [
          values[3 * i]!,
          values[3 * i + 1]!,
          values[3 * i + 2]!,
        ];
        if (
          !Number.isFinite(recon) ||
          !Number.isFinite(kl) ||
          !Number.isFinite(loss)
        ) {
          const term = !Number.isFinite(recon)
            ? "reconstruction"
            : !Number.isFinite(kl)
              ? "KL"
              : "loss";
          tf.dispose(pending.map((q) => q.stats));
          order.dispose();
          throw new NonFiniteError(epoch + 1, p.step + 1, term, epoch);
        }
        sums.loss += loss * p.size;
        sums.recon += recon * p.size;
        sums.kl += kl * p.size;
        sums.beta += p.beta * p.size;
        sums.n += p.size;
      });
      tf.dispose(pending.map((p) => p.stats));
      pending = [];
    };
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
        flush();
        config.onProgress?.(step + 1, steps, sums.loss / sums.n);
      }
    }
    order.dispose();
    const seconds = (performance.now() - began) / 1000;
    const held = test
      ? heldOut(model, test, deriveSeed(config.seed, Stream.eval))
      : null;
    const row: MetricsRow = {
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
    metrics.push(row);
    await saveCheckpoint(
      checkpointPath(config.outDir),
      epoch + 1,
      model.variables,
      optimizer,
      metrics,
    );
    writeMetrics(config.outDir, metrics);
    config.onEpoch?.(row, metrics);
  }
  optimizer.dispose();
  return { model, metrics };
}
