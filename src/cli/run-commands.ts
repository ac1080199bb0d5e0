// The `vae` subcommands of the runtime: train, eval, sample, sweep. Checked options in, library
// calls out; a progress bar on a TTY, one line per epoch otherwise; Ctrl-C says how to continue.
// Loaded only when one of these commands runs: importing it loads tfjs.
import { join, relative } from "node:path";
import { SingleBar } from "cli-progress";
import { BackendError } from "../runtime/backend.js";
import {
  evalRun,
  sampleRun,
  SpecError,
  trainRun,
} from "../runtime/run/runs.js";
import { sweepRun } from "../runtime/run/sweep.js";
import type { MetricsRow } from "../runtime/train/checkpoint.js";
import { NonFiniteError } from "../runtime/train/trainer.js";
import type { Io } from "./commands.js";
import { EXIT } from "./exit.js";
import { onInterrupt, shellWords } from "./interrupt.js";
import type {
  EvalOptions,
  SampleOptions,
  SweepOptions,
  TrainOptions,
} from "./options.js";

/** The exit code of an error the runtime throws on purpose; undefined for anything else. */
export function runtimeExitCode(err: unknown): number | undefined {
  if (err instanceof SpecError) return EXIT.invalidSpec;
  if (err instanceof NonFiniteError) return EXIT.nonFinite;
  if (err instanceof BackendError) return EXIT.couldNotRun;
  return undefined;
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

/** A path as the user can type it from here: relative when inside the current folder. */
function typed(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== "" && !rel.startsWith("..") ? rel : path;
}

/** What Ctrl-C says during `vae train`, from what the run has reported so far. */
export function trainInterruptMessage(
  file: string,
  options: Pick<TrainOptions, "model" | "out">,
  run: { outDir: string; epoch: number; epochs: number } | undefined,
  again: readonly string[],
): string {
  if (run === undefined)
    return `vae: interrupted before training started; nothing was trained: run the command again`;
  if (run.epoch === 0)
    return `vae: interrupted during epoch 1 of ${run.epochs}, before any epoch was saved; start again with: vae ${shellWords(again)}`;
  const resume = [
    "train",
    file,
    ...(options.model === undefined ? [] : ["--model", options.model]),
    "--out",
    options.out ?? typed(run.outDir),
    "--resume",
  ];
  return `vae: interrupted after epoch ${run.epoch} of ${run.epochs} (its checkpoint is kept); continue with: vae ${shellWords(resume)}`;
}

export async function trainCommand(
  file: string,
  options: TrainOptions,
  io: Io,
  tty: boolean,
  again: readonly string[],
): Promise<number> {
  let bar: SingleBar | undefined;
  let run: { outDir: string; epoch: number; epochs: number } | undefined;
  const stopBar = (): void => {
    bar?.stop();
    bar = undefined;
  };
  const release = onInterrupt(() => {
    stopBar();
    return trainInterruptMessage(file, options, run, again);
  }, io.err);
  try {
    const result = await trainRun({
      file,
      ...options,
      log: (line) => io.err(line + "\n"),
      onStart: (start) => (run = { ...start }),
      onProgress: tty
        ? (done, total, loss) => {
            if (!bar) {
              bar = new SingleBar({
                format: `epoch ${(run?.epoch ?? 0) + 1} [{bar}] {value}/{total} steps  loss {loss}`,
                hideCursor: true,
                clearOnComplete: true,
              });
              bar.start(total, 0, { loss: "-" });
            }
            bar.update(done, { loss: loss.toFixed(2) });
          }
        : undefined,
      onEpoch: (row, total) => {
        stopBar();
        if (run) run.epoch = row.epoch;
        io.err(epochLine(row, total) + "\n");
      },
    });
    io.out(`${result.outDir}\n`);
    return EXIT.ok;
  } finally {
    stopBar();
    release();
  }
}

export async function evalCommand(
  dir: string,
  options: EvalOptions,
  io: Io,
): Promise<number> {
  const release = onInterrupt(
    () => "vae: interrupted; nothing was evaluated",
    io.err,
  );
  try {
    const result = await evalRun(dir, {
      iw: options.iw,
      ...(options.split === undefined ? {} : { split: options.split }),
      ...(options.backend === undefined ? {} : { backend: options.backend }),
      ...(options.limit === undefined ? {} : { limit: options.limit }),
    });
    io.out(JSON.stringify(result, null, 2) + "\n");
    return EXIT.ok;
  } finally {
    release();
  }
}

export async function sampleCommand(
  dir: string,
  options: SampleOptions,
  io: Io,
): Promise<number> {
  const release = onInterrupt(
    () => "vae: interrupted; no image was written",
    io.err,
  );
  try {
    const path = await sampleRun(dir, {
      n: options.n,
      ...(options.out === undefined ? {} : { out: options.out }),
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.backend === undefined ? {} : { backend: options.backend }),
    });
    io.out(`${path}\n`);
    return EXIT.ok;
  } finally {
    release();
  }
}

export async function sweepCommand(
  file: string,
  options: SweepOptions,
  io: Io,
  again: readonly string[],
): Promise<number> {
  let current: string | undefined;
  const release = onInterrupt(
    () =>
      `vae: interrupted${current ? ` during ${current}` : ""}; finished β runs and the last complete epoch of the current one are kept; continue with the same command: vae ${shellWords(again)}`,
    io.err,
  );
  try {
    const { outDir } = await sweepRun({
      file,
      ...options,
      log: (line) => io.err(line + "\n"),
      onRun: (beta) => (current = `β = ${beta}`),
      onEpoch: (row, total) => io.err(epochLine(row, total) + "\n"),
    });
    io.out(`${join(outDir, "sweep.json")}\n`);
    return EXIT.ok;
  } finally {
    release();
  }
}
