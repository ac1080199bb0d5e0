// `vae sweep`: one training run per β, each evaluated on the test split, collected into sweep.json
// and drawn on the information plane (rate vs the I(z; y) bound; seed 003, Alemi et al. 2017).
import { join, resolve } from "node:path";
import {
  infoplanePng,
  infoplaneSvg,
  type PlanePoint,
} from "../artifacts/infoplane.js";
import { writePng } from "../artifacts/png.js";
import { writeAtomic } from "../io/files.js";
import type { IbResult } from "../train/ib.js";
import { compileSpec, evalRun, trainRun, type TrainRequest } from "./runs.js";

export interface SweepPoint {
  beta: number;
  run: string;
  test_elbo: number;
  rate_nats: number;
  rate_bits: number;
  /** The first categorical view's I(z; y) lower bound, or a continuous view's log-likelihood. */
  views: IbResult["views"];
  accuracy?: Record<string, number>;
}

export interface SweepRequest extends Omit<
  TrainRequest,
  "beta" | "out" | "resume"
> {
  betas: number[];
  out?: string;
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
    // `resume` lets an interrupted sweep continue; finished runs are not trained again.
    await trainRun({ ...req, beta, out: run, resume: true });
    const result = await evalRun(run, {
      split: "test",
      iw: 0,
      ...(req.limit === undefined ? {} : { limit: req.limit }),
      ...(req.backend ? { backend: req.backend } : {}),
    });
    const ib = result.ib;
    if (ib === undefined)
      throw new Error(
        `${ir.model} is not a two-view model: a sweep measures the information plane of an encoder that sees views its decoders do not explain`,
      );
    points.push({
      beta,
      run,
      test_elbo: result.elbo,
      rate_nats: ib.rate_nats,
      rate_bits: ib.rate_bits,
      views: ib.views,
      ...(result.accuracy ? { accuracy: result.accuracy } : {}),
    });
    writeSweep(outDir, ir.model, points);
  }
  return { outDir, points };
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
  const [view, first] = Object.entries(points[0]!.views)[0]!;
  const categorical = first.mi_lower_bound_bits !== undefined;
  const plane: PlanePoint[] = points.map((p) => ({
    beta: p.beta,
    x: p.rate_bits,
    y: categorical
      ? p.views[view]!.mi_lower_bound_bits!
      : p.views[view]!.log_likelihood_nats!,
  }));
  const axes = {
    title: `${model}: information plane (one point per β)`,
    x: "rate E[KL(q(z|x̃) ‖ p(z))] (bits) ≥ I(x̃; z)",
    y: categorical
      ? `I(z; ${view}) ≥ H(${view}) − E[−log p(${view}|z)] (bits)`
      : `E[log p(${view}|z)] (nats)`,
  };
  writeAtomic(join(dir, "infoplane.svg"), infoplaneSvg(plane, axes));
  writePng(join(dir, "infoplane.png"), infoplanePng(plane));
}
