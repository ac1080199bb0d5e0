// The pictures of a run directory: samples.png (prior samples decoded), reconstructions.png,
// latent.png (2-D PCA of posterior means coloured by label) and curves.svg (metrics per epoch).
import type { IrModel } from "../../ir/types.js";
import { curvesSvg } from "../artifacts/curves.js";
import { pca2, latentScatterPng } from "../artifacts/latent.js";
import {
  imageGrid,
  imageShape,
  reconstructionGrid,
  writePng,
} from "../artifacts/png.js";
import { writeAtomic } from "../io/files.js";
import type { HostData } from "../data/batches.js";
import { deriveSeed, Stream } from "../seeds.js";
import type { ModelSession } from "../model/session.js";
import type { MetricsRow } from "../train/checkpoint.js";
import type { RunDir } from "./run-dir.js";

/** The first decoded view that can be drawn as an image, with its [height, width]. */
export function imageView(
  ir: IrModel,
): { view: string; shape: [number, number] } | undefined {
  for (const d of ir.decoders) {
    const view = ir.views.find((v) => v.name === d.target)!;
    if (view.support === "categorical") continue;
    const select = ir.train?.views.find((b) => b.view === view.name)?.select
      .kind;
    const hint: [number, number] | undefined =
      select === "left_half" || select === "right_half" ? [28, 14] : undefined;
    const shape = imageShape(view.width, hint);
    if (shape) return { view: view.name, shape };
  }
  return undefined;
}

/** Decodes `n` draws from the prior and returns the image view's mean values (n × width). */
export async function priorSamples(
  session: ModelSession,
  view: string,
  n: number,
  seed: number,
): Promise<Float32Array> {
  return (await session.priorSample(n, deriveSeed(seed, Stream.sample)))[
    `mean/${view}`
  ]!.data;
}

export async function writeSamples(
  session: ModelSession,
  path: string,
  n: number,
  seed: number,
): Promise<boolean> {
  const image = imageView(session.ir);
  if (!image) return false;
  const values = await priorSamples(session, image.view, n, seed);
  writePng(path, imageGrid(values, n, image.shape[0], image.shape[1]));
  return true;
}

export function writeCurves(run: RunDir, metrics: MetricsRow[]): void {
  writeAtomic(run.curvesPath, curvesSvg(metrics));
}

/** reconstructions.png and latent.png from the first examples of `data` (posterior means). */
export async function writeDataPictures(
  session: ModelSession,
  data: HostData,
  labels: Int32Array | undefined,
  run: RunDir,
): Promise<void> {
  const ir = session.ir;
  const image = imageView(ir);
  const count = Math.min(data.n, 5000);
  const first = ir.latents[0]!;
  const means: Float32Array[] = [];
  let rows = 0;
  for (const batch of data.chunks(500)) {
    const out = await session.encode(batch);
    means.push(out[`mean/${first.name}`]!.data);
    if (image && rows === 0) {
      const x = batch.get(image.view)!;
      const k = Math.min(20, x.shape[0]!);
      const w = x.shape[1]!;
      writePng(
        run.reconstructionsPath,
        reconstructionGrid(
          x.data.subarray(0, k * w),
          out[`recon/${image.view}`]!.data.subarray(0, k * w),
          k,
          image.shape[0],
          image.shape[1],
        ),
      );
    }
    rows += batch.values().next().value!.shape[0]!;
    if (rows >= count) break;
  }
  // The latent plot shows the first latent (the only one in most models).
  const all = concat(means);
  const n = Math.min(count, all.length / first.width);
  const { coords } = pca2(all.subarray(0, n * first.width), n, first.width);
  writePng(run.latentPath, latentScatterPng(coords, labels?.subarray(0, n)));
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
