// What `vae train`, `vae eval` and `vae sample` do, as library calls: compile the spec or load a
// run directory (model, run.json and checkpoint verified against each other), load the data,
// train or evaluate, write the artifacts. Training holds the run directory's lock throughout.
import { dirname, join, resolve } from "node:path";
import {
  compile,
  renderDiagnostics,
  selectModel,
} from "../../compiler/driver.js";
import type { IrModel } from "../../ir/types.js";
import type { BackendName } from "../backend.js";
import { loadViews, type Dataset } from "../data/dataset.js";
import { IoError, readSource } from "../io/files.js";
import { assertFits, EVAL_ROWS } from "../memory.js";
import { HostData } from "../data/batches.js";
import { openEngine } from "../engines.js";
import { ModelSession } from "../model/session.js";
import type { Engine } from "../../engines/engine.js";
import { restoreSession, type MetricsRow } from "../train/checkpoint.js";
import { evaluate, type EvalResult } from "../train/evaluate.js";
import { irHash } from "../train/ir-hash.js";
import { train } from "../train/trainer.js";
import { writeCurves, writeDataPictures, writeSamples } from "./artifacts.js";
import { planRun, type RunPlan } from "./resume.js";
import { RunDir } from "./run-dir.js";
import { RUN_INFO_FORMAT, type RunInfo } from "./run-info.js";

/** A spec that does not compile: the rendered diagnostics. */
export class SpecError extends Error {}

export interface TrainRequest {
  file: string;
  model?: string;
  out?: string;
  epochs?: number;
  batch?: number;
  seed?: number;
  /** Replaces the model's β schedule with this constant (`vae sweep`). */
  beta?: number;
  backend?: BackendName;
  resume?: boolean;
  limit?: number;
  log: (line: string) => void;
  /** After every epoch: its metrics and the number of epochs the run will have. */
  onEpoch?: (row: MetricsRow, epochs: number) => void;
  onProgress?: (done: number, total: number, loss: number) => void;
  /** Before the first epoch: the run directory, the epochs already trained, and the target. */
  onStart?: (run: { outDir: string; epoch: number; epochs: number }) => void;
}

export function compileSpec(file: string, model?: string): IrModel {
  const text = readSource(file);
  const result = compile(text, file);
  if (result.models.length === 0)
    throw new SpecError(renderDiagnostics(result.diagnostics, file, text));
  const chosen = selectModel(result.models, model, file);
  if (typeof chosen === "string") throw new SpecError(chosen);
  return chosen;
}

/** The run directory's IR, validated again (it may have been edited or come from elsewhere). */
export function loadRunIr(dir: string): IrModel {
  return new RunDir(dir).readModel();
}

/** A session on `engine` with the weights of the run's last checkpoint, all files verified. */
export function loadTrainedModel(
  dir: string,
  engine: Engine,
): {
  ir: IrModel;
  session: ModelSession;
  metrics: MetricsRow[];
  /** Where the run's relative data paths resolve. */
  baseDir: string;
} {
  const run = new RunDir(dir);
  const { ir, info, checkpoint } = run.load();
  const session = new ModelSession(ir, engine);
  try {
    restoreSession(session, checkpoint, run.checkpointPath, {
      optimizer: false,
    });
  } catch (err) {
    session.dispose();
    throw err;
  }
  const baseDir = info?.baseDir ?? process.cwd();
  return { ir, session, metrics: checkpoint.metrics, baseDir };
}

function dataFor(
  ir: IrModel,
  which: "data" | "test",
  baseDir: string,
  limit: number | null | undefined,
): Dataset {
  return loadViews(ir.train!, ir.views, which, baseDir, {
    seed: ir.train!.seed,
    ...(limit === undefined || limit === null ? {} : { limit }),
  });
}

export async function trainRun(
  req: TrainRequest,
): Promise<{ outDir: string; metrics: MetricsRow[]; backend: string }> {
  const compiled = compileSpec(req.file, req.model);
  if (compiled.train === null)
    throw new SpecError(
      `${req.file}: model ${compiled.model} has no train block to say what data to train on`,
    );
  const run = new RunDir(req.out ?? join("runs", compiled.model));
  run.create();
  const lock = run.lock("vae train");
  try {
    const removed = run.removeLeftoverTemps();
    if (removed.length > 0)
      req.log(
        `removed ${removed.length} temp file(s) left by an interrupted write: ${removed.join(", ")}`,
      );
    const plan = planRun(run, compiled, req);
    const { engine, backend } = await openEngine(plan.backend);
    req.log(`backend: ${backend}`);
    if (plan.resume === undefined)
      run.writeRunInfo(newRunInfo(req, plan, backend));
    const metrics = await trainPlanned(run, plan, req, engine);
    return { outDir: run.path, metrics, backend };
  } finally {
    lock.release();
  }
}

function newRunInfo(
  req: TrainRequest,
  plan: RunPlan,
  backend: string,
): RunInfo {
  return {
    format: RUN_INFO_FORMAT,
    spec: resolve(req.file),
    model: plan.ir.model,
    irHash: irHash(plan.ir),
    batch: plan.ir.train!.batch,
    seed: plan.ir.train!.seed,
    beta: req.beta ?? null,
    limit: plan.limit,
    backend,
    flags: plan.flags,
    baseDir: dirname(resolve(req.file)),
    started: new Date().toISOString(),
  };
}

async function trainPlanned(
  run: RunDir,
  plan: RunPlan,
  req: TrainRequest,
  engine: Engine,
): Promise<MetricsRow[]> {
  const { ir } = plan;
  const settings = ir.train!;
  const done = plan.resume?.checkpoint.epoch;
  req.onStart?.({
    outDir: run.path,
    epoch: done ?? 0,
    epochs: settings.epochs,
  });
  if (done === settings.epochs)
    req.log(
      `${run.path} already has ${done} epochs; nothing to train (pass --epochs above ${done} to extend it)`,
    );
  const baseDir = plan.resume?.info.baseDir ?? dirname(resolve(req.file));
  const trainSet = dataFor(ir, "data", baseDir, plan.limit);
  const testSet = settings.test
    ? dataFor(ir, "test", baseDir, plan.limit)
    : undefined;
  req.log(
    `data: ${trainSet.source}${testSet ? `; test: ${testSet.source}` : ""}`,
  );
  assertFits(ir, plan.backend, {
    rows: Math.min(settings.batch, trainSet.n),
    gradients: true,
    examples: trainSet.n + (testSet?.n ?? 0),
  });
  const data = new HostData(trainSet, ir.views);
  const test = testSet ? new HostData(testSet, ir.views) : null;
  const { session, metrics } = await train(ir, data, test, {
    run,
    engine,
    epochs: settings.epochs,
    batch: settings.batch,
    seed: settings.seed,
    ...(plan.resume ? { resumeFrom: plan.resume.checkpoint } : {}),
    onEpoch: (row, all) => {
      writeCurves(run, all);
      req.onEpoch?.(row, settings.epochs);
    },
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  });
  try {
    writeCurves(run, metrics);
    await writeSamples(session, run.samplesPath, 64, settings.seed);
    await writeDataPictures(
      session,
      test ?? data,
      (testSet ?? trainSet).labels,
      run,
    );
    return metrics;
  } finally {
    session.dispose();
  }
}

export interface EvalOptions {
  /** "test", "data" (the training data), or undefined: the test set if the model has one. */
  split?: "test" | "data";
  iw: number;
  backend?: BackendName;
  limit?: number;
}

/** The evaluation of a trained run, with the split it used. */
export type RunEvaluation = EvalResult & { split: "test" | "train" };

export async function evalRun(
  dir: string,
  options: EvalOptions,
): Promise<RunEvaluation> {
  assertFits(loadRunIr(dir), options.backend ?? "wasm", EVAL_ROWS);
  const { engine } = await openEngine(options.backend);
  const { ir, session, baseDir } = loadTrainedModel(dir, engine);
  const hasTest = ir.train!.test !== null;
  if (options.split === "test" && !hasTest) {
    session.dispose();
    throw new IoError(
      `${dir}: model ${ir.model} has no test set (its train block has no \`test = ...\`); evaluate the training data with --split train`,
    );
  }
  const split = options.split ?? (hasTest ? "test" : "data");
  try {
    const data = new HostData(
      dataFor(ir, split, baseDir, options.limit),
      ir.views,
    );
    const result = await evaluate(session, data, {
      iw: options.iw,
      seed: ir.train!.seed,
    });
    return { split: split === "test" ? "test" : "train", ...result };
  } finally {
    session.dispose();
  }
}

export async function sampleRun(
  dir: string,
  options: { n: number; out?: string; seed?: number; backend?: BackendName },
): Promise<string> {
  assertFits(loadRunIr(dir), options.backend ?? "wasm", {
    rows: options.n,
    gradients: false,
    examples: 0,
  });
  const { engine } = await openEngine(options.backend);
  const { ir, session } = loadTrainedModel(dir, engine);
  const out = options.out ?? new RunDir(dir).samplesPath;
  let ok: boolean;
  try {
    ok = await writeSamples(
      session,
      out,
      options.n,
      options.seed ?? ir.train!.seed,
    );
  } finally {
    session.dispose();
  }
  if (!ok)
    throw new IoError(
      `model ${ir.model} has no decoded view that can be drawn as an image`,
    );
  return out;
}
