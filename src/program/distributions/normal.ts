// Diagonal Gaussian: the `normal` prior/likelihood and the `diag_normal` posterior share this code.
import type { Sym } from "../builder.js";
import type {
  DistFactory,
  DistParams,
  Distribution,
  NoiseSpec,
} from "./types.js";
import {
  HALF_LOG_2PI,
  alignRows,
  batchOf,
  checkCols,
  checkData,
  checkNoise,
  full,
  param2d,
  sampleRows,
} from "./util.js";

export class DiagGaussian implements Distribution {
  readonly batch: number;
  /** loc, scale as handed over: [1|B, 1|d]; scale is already positive. */
  readonly loc: Sym;
  readonly scale: Sym;

  constructor(
    readonly family: string,
    params: DistParams,
    readonly width: number,
  ) {
    this.loc = param2d(params, "loc", family);
    this.scale = param2d(params, "scale", family);
    checkCols(this.loc, width, "loc", family);
    checkCols(this.scale, width, "scale", family);
    this.batch = batchOf(family, this.loc, this.scale);
  }

  /** ε ~ N(0, I) [rows, d]. */
  noise(rows: number): NoiseSpec[] {
    sampleRows(this.family, this.batch, rows);
    return [{ kind: "normal", shape: [rows, this.width] }];
  }

  /** Reparameterization trick (Gaussian): z = μ + σ ⊙ ε, ε ~ N(0, I). */
  rsample(noise: readonly Sym[]): Sym {
    const rows = checkNoise(this.family, noise, (r) => this.noise(r));
    const mu = alignRows(this.loc, rows);
    const sigma = alignRows(this.scale, rows);
    return mu.add(sigma.mul(noise[0]!));
  }

  sample(noise: readonly Sym[]): Sym {
    return this.rsample(noise).stopGradient();
  }

  /** Gaussian log-density: Σ_d [−½((x−μ)/σ)² − log σ − ½ log 2π]. */
  logProb(x: Sym): Sym {
    const rows = checkData(this.family, x, this.width, this.batch);
    const z = x.sub(alignRows(this.loc, rows)).div(alignRows(this.scale, rows));
    const logNorm = alignRows(this.scale.log().add(HALF_LOG_2PI), rows);
    return z.square().mul(-0.5).sub(logNorm).sum(1);
  }

  /** E[x] = μ [B, d]. */
  mean(): Sym {
    return full(this.loc, this.batch, this.width);
  }

  gaussianMarginals(): { loc: Sym; scale: Sym } {
    return {
      loc: full(this.loc, this.batch, this.width),
      scale: full(this.scale, this.batch, this.width),
    };
  }
}

export function normalFactory(family: string): DistFactory {
  return (params, size) => new DiagGaussian(family, params, size);
}
