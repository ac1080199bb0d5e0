// A run directory: the one place that knows its file names (model.json, run.json, checkpoint.bin,
// metrics.jsonl, the lock, the pictures), writes them atomically, reads them back validated, and
// ties them together: a checkpoint names the hash of the model.json and run.json it belongs to.
import { mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { IR_VERSION, type IrModel } from "../../ir/types.js";
import { validateIr } from "../../ir/validate.js";
import {
  describeFsError,
  IoError,
  readRegularFile,
  tempWriterPid,
  writeAtomic,
} from "../io/files.js";
import {
  decodeCheckpoint,
  encodeCheckpoint,
  type Checkpoint,
} from "../train/checkpoint.js";
import type { MetricsRow } from "../train/checkpoint-header.js";
import { canonicalJson, irHash, sha256 } from "../train/ir-hash.js";
import { processAlive, RunLock } from "./lock.js";
import { runInfoErrors, type RunInfo } from "./run-info.js";

/** A run's model, configuration and last checkpoint, checked against each other. */
export interface LoadedRun {
  ir: IrModel;
  info: RunInfo | undefined;
  checkpoint: Checkpoint;
}

export class RunDir {
  readonly path: string;
  readonly modelPath: string;
  readonly runInfoPath: string;
  readonly checkpointPath: string;
  readonly metricsPath: string;
  readonly lockPath: string;
  readonly samplesPath: string;
  readonly reconstructionsPath: string;
  readonly latentPath: string;
  readonly curvesPath: string;

  constructor(path: string) {
    this.path = resolve(path);
    const at = (name: string): string => join(this.path, name);
    this.modelPath = at("model.json");
    this.runInfoPath = at("run.json");
    this.checkpointPath = at("checkpoint.bin");
    this.metricsPath = at("metrics.jsonl");
    this.lockPath = at("train.lock");
    this.samplesPath = at("samples.png");
    this.reconstructionsPath = at("reconstructions.png");
    this.latentPath = at("latent.png");
    this.curvesPath = at("curves.svg");
  }

  create(): void {
    try {
      mkdirSync(this.path, { recursive: true });
    } catch (err) {
      throw new IoError(`cannot create ${this.path}: ${describeFsError(err)}`);
    }
  }

  hasCheckpoint(): boolean {
    return (
      statSync(this.checkpointPath, { throwIfNoEntry: false }) !== undefined
    );
  }

  /** The exclusive lock for a command that writes the run (`vae train`). */
  lock(command: string): RunLock {
    return RunLock.acquire(this.lockPath, this.path, command);
  }

  /** Removes temp files left by writers that died mid-write (kill -9); returns their names. */
  removeLeftoverTemps(): string[] {
    const removed: string[] = [];
    for (const name of readdirSync(this.path)) {
      const pid = tempWriterPid(name);
      if (pid === undefined || (pid !== process.pid && processAlive(pid)))
        continue;
      rmSync(join(this.path, name), { force: true });
      removed.push(name);
    }
    return removed;
  }

  writeModel(ir: IrModel): void {
    writeAtomic(this.modelPath, JSON.stringify(ir, null, 2) + "\n");
  }

  writeRunInfo(info: RunInfo): void {
    writeAtomic(this.runInfoPath, JSON.stringify(info, null, 2) + "\n");
  }

  writeMetrics(rows: MetricsRow[]): void {
    writeAtomic(
      this.metricsPath,
      rows.map((r) => JSON.stringify(r)).join("\n") + "\n",
    );
  }

  writeCheckpoint(ckpt: Checkpoint): void {
    writeAtomic(this.checkpointPath, encodeCheckpoint(ckpt));
  }

  /** model.json, validated: a vaec IR with a train block. */
  readModel(): IrModel {
    if (statSync(this.modelPath, { throwIfNoEntry: false }) === undefined)
      throw new IoError(
        `${this.path} is not a run directory: it has no model.json`,
      );
    const doc = this.readJson(this.modelPath);
    this.checkIrVersion(doc);
    const errors = validateIr(doc);
    if (errors.length > 0)
      throw new IoError(
        `${this.modelPath} is not a valid vaec IR: ${errors.slice(0, 3).join("; ")}`,
      );
    const ir = doc as IrModel;
    if (ir.train === null)
      throw new IoError(
        `${this.modelPath} has "train": null, but a trained run's model always has a train block: was it edited?`,
      );
    return ir;
  }

  /** An IR of another version is refused by name, before its content is judged against this one's schema. */
  private checkIrVersion(doc: unknown): void {
    if (doc === null || typeof doc !== "object" || Array.isArray(doc)) return;
    const version = (doc as Record<string, unknown>)["irVersion"];
    if (typeof version !== "number" || version === IR_VERSION) return;
    const who = version < IR_VERSION ? "an older" : "a newer";
    throw new IoError(
      `${this.modelPath} was written by ${who} vaec (IR version ${version}); this vaec reads IR version ${IR_VERSION}: train the spec again into a new run directory (vae train FILE --out DIR)`,
    );
  }

  /** run.json, validated; undefined when the run has none. */
  readRunInfo(): RunInfo | undefined {
    if (statSync(this.runInfoPath, { throwIfNoEntry: false }) === undefined)
      return undefined;
    const doc = this.readJson(this.runInfoPath);
    if (doc !== null && typeof doc === "object" && !("format" in doc))
      throw new IoError(
        `${this.runInfoPath} was written by an older vaec (it has no format 2); train the run again`,
      );
    const errors = runInfoErrors(doc);
    if (errors.length > 0)
      throw new IoError(
        `${this.runInfoPath} is not a valid run.json: ${errors.join("; ")}`,
      );
    return doc as RunInfo;
  }

  /** The hash a checkpoint records of run.json's content, or null when there is none. */
  runInfoHash(): string | null {
    const info = this.readRunInfo();
    return info === undefined ? null : sha256(canonicalJson(info));
  }

  /** Model, run.json and checkpoint, verified to belong together. */
  load(): LoadedRun {
    const ir = this.readModel();
    if (!this.hasCheckpoint())
      throw new IoError(
        `${this.path} has no checkpoint (${this.checkpointPath}): it has not finished an epoch yet`,
      );
    const checkpoint = decodeCheckpoint(
      readRegularFile(this.checkpointPath),
      this.checkpointPath,
    );
    const info = this.readRunInfo();
    const hash = irHash(ir);
    if (checkpoint.irHash !== hash)
      throw new IoError(
        `${this.checkpointPath} belongs to another model than ${this.modelPath} (model hash ${checkpoint.irHash.slice(0, 12)} vs ${hash.slice(0, 12)}): was model.json edited? Restore it, or train the run again`,
      );
    const runHash = info === undefined ? null : sha256(canonicalJson(info));
    if (checkpoint.runHash !== runHash)
      throw new IoError(
        runHash === null
          ? `${this.runInfoPath} is missing, but ${this.checkpointPath} was written with one`
          : `${this.runInfoPath} does not match ${this.checkpointPath}: it was edited or replaced after the run started; restore it, or train the run again`,
      );
    return { ir, info, checkpoint };
  }

  private readJson(path: string): unknown {
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(
        readRegularFile(path),
      );
    } catch (err) {
      if (err instanceof IoError) throw err;
      throw new IoError(`${path} is not UTF-8 text`);
    }
    try {
      return JSON.parse(text.replace(/^\uFEFF/, "")) as unknown;
    } catch {
      throw new IoError(`${path} is not valid JSON`);
    }
  }
}
