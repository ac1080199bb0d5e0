// Each runtime command's flags as commander hands them over (strings), and as the command uses
// them (checked values). Checking happens here, before the runtime (tfjs) is loaded, so a bad
// flag costs no start-up time and never reaches the library.
import type { BackendName } from "../runtime/backend-names.js";
import {
  backendFlag,
  betaList,
  intFlag,
  pngOutput,
  splitFlag,
} from "./flags.js";

export interface TrainFlags {
  out?: string;
  epochs?: string;
  batch?: string;
  seed?: string;
  backend?: string;
  resume?: boolean;
  limit?: string;
  model?: string;
}

export interface TrainOptions {
  out: string | undefined;
  model: string | undefined;
  epochs: number | undefined;
  batch: number | undefined;
  seed: number | undefined;
  limit: number | undefined;
  backend: BackendName | undefined;
  resume: boolean;
}

export function trainOptions(f: TrainFlags): TrainOptions {
  return {
    out: f.out,
    model: f.model,
    epochs: intFlag("--epochs", f.epochs),
    batch: intFlag("--batch", f.batch),
    seed: intFlag("--seed", f.seed),
    limit: intFlag("--limit", f.limit),
    backend: backendFlag(f.backend),
    resume: f.resume === true,
  };
}

export interface EvalFlags {
  split?: string;
  iw?: string;
  backend?: string;
  limit?: string;
}

export interface EvalOptions {
  /** Only when `--split` was given: otherwise the run's test set if it has one. */
  split: "test" | "data" | undefined;
  iw: number;
  backend: BackendName | undefined;
  limit: number | undefined;
}

export function evalOptions(f: EvalFlags): EvalOptions {
  return {
    split: splitFlag(f.split),
    iw: intFlag("--iw", f.iw) ?? 100,
    backend: backendFlag(f.backend),
    limit: intFlag("--limit", f.limit),
  };
}

export interface SampleFlags {
  n?: string;
  output?: string;
  seed?: string;
  backend?: string;
}

export interface SampleOptions {
  n: number;
  out: string | undefined;
  seed: number | undefined;
  backend: BackendName | undefined;
}

export function sampleOptions(f: SampleFlags): SampleOptions {
  return {
    n: intFlag("-n", f.n) ?? 64,
    out: pngOutput(f.output),
    seed: intFlag("--seed", f.seed),
    backend: backendFlag(f.backend),
  };
}

export interface SweepFlags {
  beta: string;
  epochs?: string;
  out?: string;
  limit?: string;
  backend?: string;
  seed?: string;
  model?: string;
}

export interface SweepOptions {
  betas: number[];
  epochs: number | undefined;
  out: string | undefined;
  limit: number | undefined;
  backend: BackendName | undefined;
  seed: number | undefined;
  model: string | undefined;
}

export function sweepOptions(f: SweepFlags): SweepOptions {
  return {
    betas: betaList(f.beta),
    epochs: intFlag("--epochs", f.epochs),
    out: f.out,
    limit: intFlag("--limit", f.limit),
    backend: backendFlag(f.backend),
    seed: intFlag("--seed", f.seed),
    model: f.model,
  };
}
