// What `vae train` does in its --out directory: start a run, refuse to overwrite a trained one, or
// resume it. A resumed run keeps its stored configuration (run.json and model.json): flags left
// out take the stored values, `--epochs N` may only extend it, and any other difference — spec
// file or content, model, batch, seed, β, limit, backend — is refused with the list of what differs.
import { resolve } from "node:path";
import type { IrModel } from "../../ir/types.js";
import type { BackendName } from "../backend.js";
import { IoError } from "../io/files.js";
import type { Checkpoint } from "../train/checkpoint.js";
import { irIdentity } from "../train/ir-hash.js";
import type { RunDir } from "./run-dir.js";
import type { FlagName, RunInfo } from "./run-info.js";

/** The settings of a `vae train` request that shape the run. */
export interface RunSettings {
  file: string;
  epochs?: number;
  batch?: number;
  seed?: number;
  beta?: number;
  limit?: number;
  backend?: BackendName;
  resume?: boolean;
}

export interface RunPlan {
  /** The IR to train (the stored one when resuming, with the epochs to reach). */
  ir: IrModel;
  backend: BackendName;
  limit: number | null;
  /** Set when resuming: the stored configuration and the checkpoint to continue from. */
  resume?: { info: RunInfo; checkpoint: Checkpoint };
  /** Which of batch, seed and beta the flags set (recorded in a new run's run.json). */
  flags: FlagName[];
}

/** One setting that differs between the stored run and this request. */
export interface Difference {
  field: string;
  run: string;
  now: string;
}

export function withOverrides(
  ir: IrModel,
  o: Pick<RunSettings, "epochs" | "batch" | "seed" | "beta">,
): IrModel {
  if (o.beta !== undefined)
    ir = {
      ...ir,
      beta: { schedule: "constant", value: o.beta, span: ir.beta.span },
    };
  if (ir.train === null) return ir;
  const train = { ...ir.train };
  if (o.epochs !== undefined) train.epochs = o.epochs;
  if (o.batch !== undefined) train.batch = o.batch;
  if (o.seed !== undefined) train.seed = o.seed;
  return { ...ir, train };
}

const given = (s: RunSettings): FlagName[] =>
  (["batch", "seed", "beta"] as const).filter((k) => s[k] !== undefined);

/** Decides what to train in `run` for `compiled` (the spec's model) and the request `s`. */
export function planRun(
  run: RunDir,
  compiled: IrModel,
  s: RunSettings,
): RunPlan {
  if (!run.hasCheckpoint())
    return {
      ir: withOverrides(compiled, s),
      backend: s.backend ?? "wasm",
      limit: s.limit ?? null,
      flags: given(s),
    };
  if (s.resume !== true)
    throw new IoError(
      `${run.path} already holds a trained run; pass --resume to continue it, or --out to start another`,
    );
  const { ir: stored, info, checkpoint } = run.load();
  if (info === undefined)
    throw new IoError(
      `cannot resume ${run.path}: it has no run.json to say how the run was configured`,
    );
  const epochs = s.epochs ?? stored.train!.epochs;
  if (epochs < checkpoint.epoch)
    throw new IoError(
      `${run.path} already has ${checkpoint.epoch} epochs; --epochs ${epochs} would shorten it: pass --epochs above ${checkpoint.epoch} to extend it, or --out to start another run`,
    );
  const kept = (k: FlagName): number | undefined =>
    s[k] ?? (info.flags.includes(k) ? (info[k] ?? undefined) : undefined);
  const now = withOverrides(compiled, {
    batch: kept("batch"),
    seed: kept("seed"),
    beta: kept("beta"),
  } as Pick<RunSettings, "batch" | "seed" | "beta">);
  const differences = resumeDifferences(info, stored, {
    spec: resolve(s.file),
    ir: now,
    limit: s.limit ?? info.limit,
    backend: s.backend ?? info.backend,
  });
  if (differences.length > 0) throw new IoError(refusal(run, differences));
  return {
    ir: withOverrides(stored, { epochs }),
    backend: info.backend as BackendName,
    limit: info.limit,
    resume: { info, checkpoint },
    flags: info.flags,
  };
}

function refusal(run: RunDir, differences: Difference[]): string {
  const shown = differences.slice(0, 12);
  const more =
    differences.length > shown.length
      ? `\n  … and ${differences.length - shown.length} more`
      : "";
  return `cannot resume ${run.path} with another configuration (run → now):\n${shown
    .map((d) => `  ${d.field}: ${d.run} → ${d.now}`)
    .join(
      "\n",
    )}${more}\nresume with the run's settings (leave the flags out), or train into another --out`;
}

const show = (v: unknown): string => {
  const text = v === undefined ? "(none)" : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};

/** Every setting in which the request differs from the stored run. */
export function resumeDifferences(
  info: RunInfo,
  runIr: IrModel,
  now: { spec: string; ir: IrModel; limit: number | null; backend: string },
): Difference[] {
  const out: Difference[] = [];
  const field = (name: string, run: unknown, current: unknown): void => {
    if (JSON.stringify(run) !== JSON.stringify(current))
      out.push({ field: name, run: show(run), now: show(current) });
  };
  field("spec file", info.spec, now.spec);
  field("limit", info.limit, now.limit);
  field("backend", info.backend, now.backend);
  const a = irIdentity(runIr) as Record<string, unknown>;
  const b = irIdentity(now.ir) as Record<string, unknown>;
  field("beta", a["beta"], b["beta"]);
  const paths: Array<[string, unknown, unknown]> = [];
  diffPaths({ ...a, beta: null }, { ...b, beta: null }, "", paths);
  for (const [path, x, y] of paths)
    field(
      path === "train.batch" || path === "train.seed"
        ? path.slice("train.".length)
        : path === "model"
          ? "model"
          : `spec content ${path}`,
      x,
      y,
    );
  return out;
}

/** The paths at which two JSON values differ (leaves, or the first level where types differ). */
function diffPaths(
  a: unknown,
  b: unknown,
  path: string,
  out: Array<[string, unknown, unknown]>,
): void {
  const isObj = (v: unknown): v is Record<string, unknown> =>
    v !== null && typeof v === "object";
  if (!isObj(a) || !isObj(b) || Array.isArray(a) !== Array.isArray(b)) {
    if (JSON.stringify(a) !== JSON.stringify(b)) out.push([path, a, b]);
    return;
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    const sub = Array.isArray(a) ? `${path}[${k}]` : path ? `${path}.${k}` : k;
    diffPaths(a[k], b[k], sub, out);
  }
}
