// The run's seeded random numbers: initial weights, the noise ε of every reparameterized draw,
// dynamic binarization and Monte Carlo KL samples all come from here, on the host, so the same
// seed gives the same draws on every engine (and a resumed run repeats an uninterrupted one).
// xoroshiro128+ from pure-rand; uniforms on the open interval (0, 1) from 32 random bits;
// standard normals by the Box–Muller transform.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import type { HostTensor } from "../engines/engine.js";
import type { NoiseSlot } from "../program/model/noise-inputs.js";

const TWO_32 = 2 ** 32;

export class SeededRandom {
  private readonly rng: ReturnType<typeof xoroshiro128plus>;
  private spare: number | undefined;

  constructor(seed: number) {
    this.rng = xoroshiro128plus(seed);
  }

  /** A uniform draw on the open interval (0, 1). */
  uniform(): number {
    return ((this.rng.next() >>> 0) + 0.5) / TWO_32;
  }

  /** A standard normal draw (Box–Muller: two uniforms give two independent normals). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  fillUniform(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.uniform();
    return out;
  }

  fillNormal(out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.normal();
    return out;
  }
}

/** The noise a program's plan asks for, drawn in plan order from one generator seeded by `seed`. */
export function drawNoise(
  plan: readonly NoiseSlot[],
  seed: number,
): Record<string, HostTensor> {
  const rng = new SeededRandom(seed);
  const out: Record<string, HostTensor> = {};
  for (const slot of plan) {
    const data = new Float32Array(slot.shape.reduce((a, b) => a * b, 1));
    if (slot.kind === "normal") rng.fillNormal(data);
    else rng.fillUniform(data);
    out[slot.input] = { shape: slot.shape, data };
  }
  return out;
}
