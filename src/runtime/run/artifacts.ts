// The pictures of a run directory: samples.png (prior samples decoded), reconstructions.png,
// latent.png (2-D PCA of posterior means coloured by label) and curves.svg (metrics per epoch).
import * as tf from "@tensorflow/tfjs";
import type { IrModel } from "../../compiler/ir/types.js";
import { curvesSvg } from "../artifacts/curves.js";
import { pca2, latentScatterPng } from "../artifacts/latent.js";
import {
  imageGrid,
  imageShape,
  reconstructionGrid,
  writePng,
} from "../artifacts/png.js";
import { writeAtomic } from "../io/files.js";
import type { LoweredModel } from "../lower/model.js";
import { deriveSeed, Stream } from "../lower/seeds.js";
import type { DeviceData } from "../train/batches.js";
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
export function priorSamples(
  model: LoweredModel,
  view: string,
  n: number,
  seed: number,
): Float32Array {
  return tf.tidy(() => {
    const priors = model.priors();
    const z = new Map(
      model.ir.latents.map((l, i) => [
        l.name,
        priors.get(l.name)!.rsample(deriveSeed(seed, Stream.sample, i), n),
      ]),
    );
    return model.decode(z).get(view)!.mean().dataSync() as Float32Array;
  });
}

export function writeSamples(
  model: LoweredModel,
  path: string,
  n: number,
  seed: number,
): boolean {
  const image = imageView(model.ir);
  if (!image) return false;
  const values = priorSamples(model, image.view, n, seed);
  writePng(path, imageGrid(values, n, image.shape[0], image.shape[1]));
  return true;
}

export function writeCurves(run: RunDir, metrics: MetricsRow[]): void {
  writeAtomic(run.curvesPath, curvesSvg(metrics));
}

/** reconstructions.png and latent.png from the first examples of `data` (posterior means). */
export function writeDataPictures(
  model: LoweredModel,
  data: DeviceData,
  labels: Int32Array | undefined,
  run: RunDir,
): void {
  const image = imageView(model.ir);
  const count = Math.min(data.n, 5000);
  const means = new Map(
    model.ir.latents.map((l) => [l.name, [] as Float32Array[]]),
  );
  let shown = false;
  for (const batch of data.chunks(500)) {
    tf.tidy(() => {
      const q = model.encode(batch);
      const z = new Map(
        model.ir.latents.map((l) => [l.name, q.get(l.name)!.mean()]),
      );
      for (const [name, m] of z)
        means.get(name)!.push(m.dataSync() as Float32Array);
      if (image && !shown) {
        const k = Math.min(20, batch.get(image.view)!.shape[0]);
        const originals = tf
          .slice(batch.get(image.view)!, [0, 0], [k, -1])
          .dataSync() as Float32Array;
        const recon = tf
          .slice(model.decode(z).get(image.view)!.mean(), [0, 0], [k, -1])
          .dataSync() as Float32Array;
        writePng(
          run.reconstructionsPath,
          reconstructionGrid(
            originals,
            recon,
            k,
            image.shape[0],
            image.shape[1],
          ),
        );
        shown = true;
      }
    });
    tf.dispose([...batch.values()]);
    if (
      means
        .values()
        .next()
        .value!.reduce((s, a) => s + a.length, 0) >=
      count * model.ir.latents[0]!.width
    )
      break;
  }
  // The latent plot shows the first latent (the only one in most models).
  const first = model.ir.latents[0]!;
  const all = concat(means.get(first.name)!);
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
