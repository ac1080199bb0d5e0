// The training loop: the IR's optimizer on mean(recon + β·KL) over seeded batches, one program
// step per batch on the engine; a checkpoint and a metrics line written atomically after every
// epoch; `resumeFrom` continues from a checkpoint exactly; a non-finite term, weight or optimizer
// value stops training, names it, and never reaches a checkpoint.
import type { Engine } from "../../engines/engine.js";
import type { IrModel } from "../../ir/types.js";
import type { HostData } from "../data/batches.js";
import { IoError } from "../io/files.js";
import { deriveSeed, Stream } from "../seeds.js";
import { ModelSession } from "../model/session.js";
import type { RunDir } from "../run/run-dir.js";
import {
  NonFiniteTensorError,
  restoreSession,
  type Checkpoint,
  type MetricsRow,
} from "./checkpoint.js";
import { heldOut } from "./held-out.js";
import { irHash } from "./ir-hash.js";
import { betaAt } from "./schedule.js";

/** How many steps between progress reports (and chances for signal handlers to run). */
const REPORT_EVERY = 25;

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
  engine: Engine;
  epochs: number;
  batch: number;
  seed: number;
  /** The run's checkpoint to continue from (RunDir.load), or undefined to start afresh. */
  resumeFrom?: Checkpoint;
  /** Called after every epoch with its metrics row and all rows so far. */
  onEpoch?: (row: MetricsRow, all: MetricsRow[]) => void;
  /** Called every REPORT_EVERY steps with (steps done in the epoch, steps per epoch, mean loss). */
  onProgress?: (done: number, total: number, loss: number) => void;
}

/** One epoch's inputs: what stays the same from step to step. */
interface EpochContext {
  ir: IrModel;
  session: ModelSession;
  data: HostData;
  test: HostData | null;
  config: TrainConfig;
  steps: number;
  /** The epoch of the checkpoint on disk (null: none yet), for the non-finite message. */
  saved: number | null;
}

/** Trains `ir` on `data`; returns the session (the caller disposes it) and every epoch's metrics. */
export async function train(
  ir: IrModel,
  data: HostData,
  test: HostData | null,
  config: TrainConfig,
): Promise<{ session: ModelSession; metrics: MetricsRow[] }> {
  const { run } = config;
  if (!config.resumeFrom && run.hasCheckpoint())
    throw new IoError(
      `${run.path} already holds a checkpoint: resume it, or train into another directory`,
    );
  const session = ModelSession.create(ir, config.engine, config.seed);
  const ctx: EpochContext = {
    ir,
    session,
    data,
    test,
    config,
    steps: data.batchCount(config.batch),
    saved: null,
  };
  try {
    const hashes = { irHash: irHash(ir), runHash: run.runInfoHash() };
    const metrics = config.resumeFrom
      ? restore(ctx, config.resumeFrom, hashes.irHash)
      : [];
    run.writeModel(ir);
    for (let epoch = ctx.saved ?? 0; epoch < config.epochs; epoch++) {
      metrics.push(await trainEpoch(ctx, epoch));
      saveCheckpoint(ctx, {
        epoch: epoch + 1,
        ...hashes,
        ...snapshot(session),
        metrics,
      });
      ctx.saved = epoch + 1;
      run.writeMetrics(metrics);
      config.onEpoch?.(metrics.at(-1)!, metrics);
    }
    return { session, metrics };
  } catch (err) {
    session.dispose();
    throw err;
  }
}

function snapshot(
  session: ModelSession,
): Pick<Checkpoint, "variables" | "optimizer"> {
  return { variables: session.weights(), optimizer: session.optimizerState() };
}

/** Loads `ckpt` into the session; returns its metrics rows. */
function restore(
  ctx: EpochContext,
  ckpt: Checkpoint,
  hash: string,
): MetricsRow[] {
  const path = ctx.config.run.checkpointPath;
  if (ckpt.irHash !== hash)
    throw new IoError(`${path} belongs to another model than the one training`);
  restoreSession(ctx.session, ckpt, path, { optimizer: true });
  ctx.saved = ckpt.epoch;
  return ckpt.metrics.slice();
}

/** Writes the checkpoint, or stops training if a value in it is not finite. */
function saveCheckpoint(ctx: EpochContext, ckpt: Checkpoint): void {
  try {
    ctx.config.run.writeCheckpoint(ckpt);
  } catch (err) {
    if (!(err instanceof NonFiniteTensorError)) throw err;
    const isWeight = ctx.ir.parameters.some((p) => p.name === err.tensor);
    const what = isWeight
      ? `weights of ${err.tensor}`
      : `optimizer state ${err.tensor}`;
    throw new NonFiniteError(ckpt.epoch, ctx.steps, what, ctx.saved);
  }
}

/** The first non-finite statistic of a step, named, or undefined. */
function nonFinite([loss, recon, kl]: Float32Array): string | undefined {
  if (!Number.isFinite(recon)) return "reconstruction term";
  if (!Number.isFinite(kl)) return "KL term";
  if (!Number.isFinite(loss)) return "loss";
  return undefined;
}

async function trainEpoch(
  ctx: EpochContext,
  epoch: number,
): Promise<MetricsRow> {
  const { ir, session, data, config, steps } = ctx;
  const settings = ir.train!;
  const began = performance.now();
  const order = data.order(config.seed, epoch, true);
  const sums = { loss: 0, recon: 0, kl: 0, beta: 0, n: 0 };
  for (let step = 0; step < steps; step++) {
    const stepSeed = deriveSeed(config.seed, epoch, step);
    const beta = betaAt(ir.beta, epoch + step / steps);
    const batch = data.batch(order, step, config.batch, stepSeed);
    const size = batch.values().next().value!.shape[0]!;
    const stats = await session.trainStep(
      batch,
      deriveSeed(stepSeed, Stream.noise),
      beta,
      settings.optimizer.lr,
    );
    const term = nonFinite(stats);
    if (term !== undefined)
      throw new NonFiniteError(epoch + 1, step + 1, term, ctx.saved);
    sums.loss += stats[0]! * size;
    sums.recon += stats[1]! * size;
    sums.kl += stats[2]! * size;
    sums.beta += beta * size;
    sums.n += size;
    if ((step + 1) % REPORT_EVERY === 0 || step === steps - 1) {
      config.onProgress?.(step + 1, steps, sums.loss / sums.n);
      // Let signal handlers run (Ctrl-C prints how to resume; src/cli/interrupt.ts).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
  const seconds = (performance.now() - began) / 1000;
  const held = ctx.test
    ? await heldOut(session, ctx.test, deriveSeed(config.seed, Stream.eval))
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
