// The `vae` subcommands of the runtime: train, eval, sample. Flags in, library calls out; a
// progress bar on a TTY, one line per epoch otherwise.
import { join } from "node:path";
import { SingleBar } from "cli-progress";
import { backendNames, type BackendName } from "../runtime/backend.js";
import { evalRun, sampleRun, trainRun } from "../runtime/run/runs.js";
import { sweepRun } from "../runtime/run/sweep.js";
import type { MetricsRow } from "../runtime/train/checkpoint.js";
import { IoError } from "../runtime/io/files.js";
import type { Io } from "./commands.js";

function intFlag(
  name: string,
  value: string | undefined,
  min: number,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new IoError(`--${name} must be an integer ≥ ${min}, not ${value}`);
  return n;
}

function backendFlag(value: string | undefined): BackendName | undefined {
  if (value === undefined) return undefined;
  if (!(backendNames as readonly string[]).includes(value))
    throw new IoError(
      `--backend must be one of ${backendNames.join(", ")}, not ${value}`,
    );
  return value as BackendName;
}

const fmt = (v: number | null, digits = 2): string =>
  v === null || !Number.isFinite(v) ? String(v) : v.toFixed(digits);

export function epochLine(row: MetricsRow, epochs: number): string {
  const accuracy = Object.entries(row.test_accuracy ?? {})
    .map(([v, a]) => `  test_accuracy(${v}) ${(100 * a).toFixed(2)}%`)
    .join("");
  const test =
    (row.test_elbo === null ? "" : `  test_elbo ${fmt(row.test_elbo)}`) +
    accuracy;
  return `epoch ${row.epoch}/${epochs}  loss ${fmt(row.loss)}  recon ${fmt(row.recon)}  kl ${fmt(row.kl)}  beta ${fmt(row.beta, 3)}${test}  ${fmt(row.seconds, 1)}s  ${Math.round(row.examples_per_sec)} ex/s`;
}

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

export async function trainCommand(
  file: string,
  flags: TrainFlags,
  io: Io,
  tty: boolean,
): Promise<number> {
  let bar: SingleBar | undefined;
  let epoch = 0;
  const result = await trainRun({
    file,
    ...(flags.model === undefined ? {} : { model: flags.model }),
    ...(flags.out === undefined ? {} : { out: flags.out }),
    ...optional("epochs", intFlag("epochs", flags.epochs, 1)),
    ...optional("batch", intFlag("batch", flags.batch, 1)),
    ...optional("seed", intFlag("seed", flags.seed, 0)),
    ...optional("limit", intFlag("limit", flags.limit, 1)),
    ...optional("backend", backendFlag(flags.backend)),
    resume: flags.resume === true,
    log: (line) => io.err(line + "\n"),
    onProgress: tty
      ? (done, total, loss) => {
          if (!bar) {
            bar = new SingleBar({
              format: `epoch ${epoch + 1} [{bar}] {value}/{total} steps  loss {loss}`,
              hideCursor: true,
              clearOnComplete: true,
            });
            bar.start(total, 0, { loss: "-" });
          }
          bar.update(done, { loss: loss.toFixed(2) });
        }
      : undefined,
    onEpoch: (row, total) => {
      bar?.stop();
      bar = undefined;
      epoch = row.epoch;
      io.err(epochLine(row, total) + "\n");
    },
  } as Parameters<typeof trainRun>[0]);
  io.out(`${result.outDir}\n`);
  return 0;
}

function optional<K extends string, V>(
  key: K,
  value: V | undefined,
): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

export type EvalFlags = {
  split?: string;
  iw?: string;
  backend?: string;
  limit?: string;
};

export async function evalCommand(
  dir: string,
  flags: EvalFlags,
  io: Io,
): Promise<number> {
  const split = flags.split ?? "test";
  if (split !== "test" && split !== "train")
    throw new IoError(`--split must be test or train, not ${split}`);
  const result = await evalRun(dir, {
    split: split === "train" ? "data" : "test",
    iw: intFlag("iw", flags.iw, 0) ?? 100,
    ...optional("backend", backendFlag(flags.backend)),
    ...optional("limit", intFlag("limit", flags.limit, 1)),
  });
  io.out(JSON.stringify(result, null, 2) + "\n");
  return 0;
}

export type SampleFlags = {
  n?: string;
  output?: string;
  seed?: string;
  backend?: string;
};

export async function sampleCommand(
  dir: string,
  flags: SampleFlags,
  io: Io,
): Promise<number> {
  const path = await sampleRun(dir, {
    n: intFlag("n", flags.n, 1) ?? 64,
    ...optional("out", flags.output),
    ...optional("seed", intFlag("seed", flags.seed, 0)),
    ...optional("backend", backendFlag(flags.backend)),
  });
  io.out(`${path}\n`);
  return 0;
}

export type SweepFlags = {
  beta: string;
  epochs?: string;
  out?: string;
  limit?: string;
  backend?: string;
  seed?: string;
  model?: string;
};

export async function sweepCommand(
  file: string,
  flags: SweepFlags,
  io: Io,
): Promise<number> {
  const betas = flags.beta.split(",").map((b) => Number(b.trim()));
  if (betas.length === 0 || betas.some((b) => !Number.isFinite(b) || b <= 0))
    throw new IoError(
      `--beta must be a comma-separated list of positive numbers, not ${flags.beta}`,
    );
  const { outDir } = await sweepRun({
    file,
    betas,
    ...optional("model", flags.model),
    ...optional("out", flags.out),
    ...optional("epochs", intFlag("epochs", flags.epochs, 1)),
    ...optional("limit", intFlag("limit", flags.limit, 1)),
    ...optional("seed", intFlag("seed", flags.seed, 0)),
    ...optional("backend", backendFlag(flags.backend)),
    log: (line) => io.err(line + "\n"),
    onEpoch: (row, total) => io.err(epochLine(row, total) + "\n"),
  });
  io.out(`${join(outDir, "sweep.json")}\n`);
  return 0;
}
