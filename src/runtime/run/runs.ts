// What `vae train`, `vae eval` and `vae sample` do, as library calls: compile the spec or load a
// run directory (its IR re-validated), load the data, train or evaluate, write the artifacts.
import { existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { compile } from "../../compiler/driver.js";
import { renderDiagnostics } from "../../compiler/diagnostics/render.js";
import type { IrModel } from "../../compiler/ir/types.js";
import { validateIr } from "../../compiler/ir/validate.js";
import { initBackend, type BackendName } from "../backend.js";
import { loadViews, type Dataset } from "../data/dataset.js";
import { IoError, readSource, writeAtomic } from "../io/files.js";
import { LoweredModel } from "../lower/model.js";
import { DeviceData } from "../train/batches.js";
import { loadCheckpoint, type MetricsRow } from "../train/checkpoint.js";
import { evaluate, type EvalResult } from "../train/evaluate.js";
import { checkpointPath, train } from "../train/trainer.js";
import { writeCurves, writeDataPictures, writeSamples } from "./artifacts.js";

/** Where a run came from: relative data paths resolve against `baseDir` (the spec's folder). */
interface RunInfo {
  spec: string;
  baseDir: string;
  backend: string;
  limit?: number;
}

function runInfo(dir: string): RunInfo | undefined {
  const path = join(dir, "run.json");
  return existsSync(path)
    ? (JSON.parse(readSource(path)) as RunInfo)
    : undefined;
}

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
}

export function compileSpec(file: string, model?: string): IrModel {
  const text = readSource(file);
  const result = compile(text, file);
  if (result.models.length === 0)
    throw new SpecError(renderDiagnostics(result.diagnostics, file, text));
  const chosen =
    model === undefined
      ? result.models
      : result.models.filter((m) => m.model === model);
  if (chosen.length !== 1)
    throw new SpecError(
      model === undefined
        ? `${file} declares several models (${result.models.map((m) => m.model).join(", ")}); pick one with --model`
        : `no model ${model} in ${file}`,
    );
  return chosen[0]!;
}

/** The run directory's IR, validated again (it may have been edited or come from elsewhere). */
export function loadRunIr(dir: string): IrModel {
  const path = join(dir, "model.json");
  let doc: unknown;
  try {
    doc = JSON.parse(readSource(path));
  } catch (err) {
    if (err instanceof IoError)
      throw new IoError(`${dir} is not a run directory: ${err.message}`);
    throw new IoError(`${path} is not valid JSON`);
  }
  const errors = validateIr(doc);
  if (errors.length > 0)
    throw new IoError(
      `${path} is not a valid vaec IR: ${errors.slice(0, 3).join("; ")}`,
    );
  return doc as IrModel;
}

/** The model with the weights of the run's last checkpoint. */
export function loadTrainedModel(dir: string): {
  ir: IrModel;
  model: LoweredModel;
  metrics: MetricsRow[];
} {
  const ir = loadRunIr(dir);
  const ckpt = loadCheckpoint(checkpointPath(dir));
  const model = new LoweredModel(ir, ir.train?.seed ?? 0);
  for (const [name, v] of model.variables) {
    const saved = ckpt.variables.get(name);
    if (!saved)
      throw new IoError(`${checkpointPath(dir)} has no weights for ${name}`);
    v.assign(saved);
  }
  tf.dispose([
    ...ckpt.variables.values(),
    ...ckpt.optimizer.map((o) => o.tensor),
  ]);
  return { ir, model, metrics: ckpt.metrics };
}

function dataFor(
  ir: IrModel,
  which: "data" | "test",
  baseDir: string,
  limit: number | undefined,
): Dataset {
  return loadViews(ir.train!, ir.views, which, baseDir, {
    seed: ir.train!.seed,
    ...(limit === undefined ? {} : { limit }),
  });
}

export async function trainRun(
  req: TrainRequest,
): Promise<{ outDir: string; metrics: MetricsRow[]; backend: string }> {
  const compiled = compileSpec(req.file, req.model);
  const outDir = resolve(req.out ?? join("runs", compiled.model));
  const resuming = req.resume === true && existsSync(checkpointPath(outDir));
  if (!req.resume && existsSync(checkpointPath(outDir))) {
    throw new IoError(
      `${outDir} already holds a trained run; pass --resume to continue it, or --out to start another`,
    );
  }
  // A resumed run keeps the IR it started with, so its weights always match.
  const ir = resuming ? loadRunIr(outDir) : withOverrides(compiled, req);
  if (ir.train === null)
    throw new SpecError(
      `${req.file}: model ${ir.model} has no train block to say what data to train on`,
    );
  const backend = await initBackend(req.backend ?? "wasm");
  req.log(`backend: ${backend}`);
  const baseDir = dirname(resolve(req.file));
  mkdirSync(outDir, { recursive: true });
  const info: RunInfo = {
    spec: resolve(req.file),
    baseDir,
    backend,
    ...(req.limit === undefined ? {} : { limit: req.limit }),
  };
  writeAtomic(join(outDir, "run.json"), JSON.stringify(info, null, 2) + "\n");
  const trainSet = dataFor(ir, "data", baseDir, req.limit);
  const testSet = ir.train.test
    ? dataFor(ir, "test", baseDir, req.limit)
    : undefined;
  req.log(
    `data: ${trainSet.source}${testSet ? `; test: ${testSet.source}` : ""}`,
  );
  const data = new DeviceData(trainSet, ir.views);
  const test = testSet ? new DeviceData(testSet, ir.views) : null;
  try {
    const { model, metrics } = await train(ir, data, test, {
      outDir,
      epochs: ir.train.epochs,
      batch: ir.train.batch,
      seed: ir.train.seed,
      resume: resuming,
      onEpoch: (row, all) => {
        writeCurves(outDir, all);
        req.onEpoch?.(row, ir.train!.epochs);
      },
      ...(req.onProgress ? { onProgress: req.onProgress } : {}),
    });
    writeCurves(outDir, metrics);
    writeSamples(model, join(outDir, "samples.png"), 64, ir.train.seed);
    writeDataPictures(
      model,
      test ?? data,
      (testSet ?? trainSet).labels,
      outDir,
    );
    model.dispose();
    return { outDir, metrics, backend };
  } finally {
    data.dispose();
    test?.dispose();
  }
}

function withOverrides(ir: IrModel, req: TrainRequest): IrModel {
  if (req.beta !== undefined)
    ir = {
      ...ir,
      beta: { schedule: "constant", value: req.beta, span: ir.beta.span },
    };
  if (ir.train === null) return ir;
  const train = { ...ir.train };
  if (req.epochs !== undefined) train.epochs = req.epochs;
  if (req.batch !== undefined) train.batch = req.batch;
  if (req.seed !== undefined) train.seed = req.seed;
  return { ...ir, train };
}

export async function evalRun(
  dir: string,
  options: {
    split: "test" | "data";
    iw: number;
    backend?: BackendName;
    limit?: number;
  },
): Promise<EvalResult> {
  await initBackend(options.backend ?? "wasm");
  const { ir, model } = loadTrainedModel(dir);
  const split = options.split === "test" && ir.train?.test ? "test" : "data";
  const dataset = dataFor(
    ir,
    split,
    runInfo(dir)?.baseDir ?? process.cwd(),
    options.limit,
  );
  const data = new DeviceData(dataset, ir.views);
  try {
    return evaluate(model, data, { iw: options.iw, seed: ir.train?.seed ?? 0 });
  } finally {
    data.dispose();
    model.dispose();
  }
}

export async function sampleRun(
  dir: string,
  options: { n: number; out?: string; seed?: number; backend?: BackendName },
): Promise<string> {
  await initBackend(options.backend ?? "wasm");
  const { ir, model } = loadTrainedModel(dir);
  const out = options.out ?? join(dir, "samples.png");
  const ok = writeSamples(
    model,
    out,
    options.n,
    options.seed ?? ir.train?.seed ?? 0,
  );
  model.dispose();
  if (!ok)
    throw new IoError(
      `model ${ir.model} has no decoded view that can be drawn as an image`,
    );
  return out;
}
