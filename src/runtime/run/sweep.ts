// `vae sweep`: one training run per β, each evaluated (the test split when the model has one),
// collected into sweep.json and drawn on a plane. A two-view model gets the information plane (rate
// vs the I(z; y) bound; the deep information bottleneck, Alemi et al. 2017); any other model the
// rate–distortion plane (rate E[KL] vs distortion E[−log p(x|z)], both in nats; Alemi et al. 2018).
// Each β run resumes under `vae train`'s rule: `--epochs` may extend it; any other change is
// refused.
import { join, resolve } from "node:path";
import {
  infoplanePng,
  infoplaneSvg,
  type PlaneAxes,
  type PlanePoint,
} from "../artifacts/infoplane.js";
import { writePng } from "../artifacts/png.js";
import { writeAtomic } from "../io/files.js";
import type { IbResult } from "../train/ib.js";
import { compileSpec, evalRun, trainRun, type TrainRequest } from "./runs.js";

export interface SweepPoint {
  beta: number;
  run: string;
  /** The split the point was evaluated on: the test set when the model has one. */
  split: "test" | "train";
  elbo: number;
  /** E[KL(q(z|x) ‖ p(z))], an upper bound on I(x; z). */
  rate_nats: number;
  rate_bits: number;
  /** E[−log p(x | z)] summed over the decoded views. */
  distortion_nats: number;
  /** Two-view models: the first categorical view's I(z; y) bound, or a view's log-likelihood. */
  views?: IbResult["views"];
  accuracy?: Record<string, number>;
}

export interface SweepRequest extends Omit<
  TrainRequest,
  "beta" | "out" | "resume"
> {
  betas: number[];
  out?: string;
  /** Before each β run is trained: its β and run directory. */
  onRun?: (beta: number, run: string) => void;
}

export async function sweepRun(
  req: SweepRequest,
): Promise<{ outDir: string; points: SweepPoint[] }> {
  const ir = compileSpec(req.file, req.model);
  const outDir = resolve(req.out ?? join("runs", `${ir.model}-sweep`));
  const points: SweepPoint[] = [];
  for (const beta of req.betas) {
    const run = join(outDir, `beta-${beta}`);
    req.log(`β = ${beta}: ${run}`);
    req.onRun?.(beta, run);
    // `resume` lets an interrupted sweep continue, and `--epochs` extend a finished one.
    await trainRun({ ...req, beta, out: run, resume: true });
    const result = await evalRun(run, {
      iw: 0,
      ...(req.limit === undefined ? {} : { limit: req.limit }),
      ...(req.backend ? { backend: req.backend } : {}),
    });
    const rate = result.ib?.rate_nats ?? result.kl;
    points.push({
      beta,
      run,
      split: result.split,
      elbo: result.elbo,
      rate_nats: rate,
      rate_bits: rate / Math.LN2,
      distortion_nats: result.recon,
      ...(result.ib ? { views: result.ib.views } : {}),
      ...(result.accuracy ? { accuracy: result.accuracy } : {}),
    });
    writeSweep(outDir, ir.model, points);
  }
  return { outDir, points };
}

/** The plane of a sweep's points: its file name, the points and the axes. */
export function sweepPlane(
  model: string,
  points: readonly SweepPoint[],
): { name: string; plane: PlanePoint[]; axes: PlaneAxes } {
  const views = points[0]?.views;
  const first = views ? Object.entries(views)[0] : undefined;
  if (first === undefined)
    return {
      name: "rate-distortion",
      plane: points.map((p) => ({
        beta: p.beta,
        x: p.rate_nats,
        y: p.distortion_nats,
      })),
      axes: {
        title: `${model}: rate–distortion plane (one point per β)`,
        x: "rate R = E[KL(q(z|x) ‖ p(z))] (nats)",
        y: "distortion D = E[−log p(x|z)] (nats)",
      },
    };
  const [view, ib] = first;
  const categorical = ib.mi_lower_bound_bits !== undefined;
  return {
    name: "infoplane",
    plane: points.map((p) => ({
      beta: p.beta,
      x: p.rate_bits,
      y: categorical
        ? p.views![view]!.mi_lower_bound_bits!
        : p.views![view]!.log_likelihood_nats!,
    })),
    axes: {
      title: `${model}: information plane (one point per β)`,
      x: "rate E[KL(q(z|x̃) ‖ p(z))] (bits) ≥ I(x̃; z)",
      y: categorical
        ? `I(z; ${view}) ≥ H(${view}) − E[−log p(${view}|z)] (bits)`
        : `E[log p(${view}|z)] (nats)`,
    },
  };
}

export function writeSweep(
  dir: string,
  model: string,
  points: SweepPoint[],
): void {
  writeAtomic(
    join(dir, "sweep.json"),
    JSON.stringify({ model, points }, null, 2) + "\n",
  );
  const { name, plane, axes } = sweepPlane(model, points);
  writeAtomic(join(dir, `${name}.svg`), infoplaneSvg(plane, axes));
  writePng(join(dir, `${name}.png`), infoplanePng(plane));
}
