// Information-bottleneck measurements on a synthetic two-view problem whose answer is known: the
// label is a deterministic function of the input view, so a trained IB model reaches ~100%
// accuracy; the rate equals the mean analytic KL; the I(z; y) bound never exceeds H(Y).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { RunDir } from "../../../src/runtime/run/run-dir.js";
import { HostData } from "../../../src/runtime/data/batches.js";
import { TfjsEngine } from "../../../src/engines/tfjs/engine.js";
import { entropy, ibMetrics } from "../../../src/runtime/train/ib.js";
import { train } from "../../../src/runtime/train/trainer.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

const spec = `model ib {
  data x : real[4]
  data y : categorical[3]
  latent z : real[2]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [32], tanh), scale_head: softplus)
  decoder p(y | z) = Categorical(logits: mlp(z, [16], tanh))
  beta = 1e-3
}
train ib { data = csv(path: "unused.csv") views = { x: columns(0 -> 4), y: columns(4 -> 5) } optimizer = adam(lr: 1e-2) batch = 32 epochs = 40 seed = 3 }`;

/** x uniform in [-1, 1]^4 (seeded LCG); y = which of x₀, x₁, x₂ is largest. */
function problem(n: number, seed: number) {
  let s = seed;
  const u = (): number =>
    ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const x = new Float32Array(n * 4);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < 4; j++) x[i * 4 + j] = u();
    const row = [x[i * 4]!, x[i * 4 + 1]!, x[i * 4 + 2]!];
    y[i] = row.indexOf(Math.max(...row));
  }
  return {
    n,
    views: new Map([
      ["x", x],
      ["y", y],
    ]),
    widths: new Map([
      ["x", 4],
      ["y", 1],
    ]),
    binarize: "none" as const,
    dynamic: [],
    source: "synthetic",
  };
}

describe("information bottleneck measurements", () => {
  it("classifies a deterministic two-view problem, with rate = mean KL and I(z; y) ≤ H(Y)", async () => {
    const ir = compile(spec, "ib.vae").models[0]!;
    expect(ir.kind).toBe("two_view");
    const trainSet = new HostData(problem(600, 1), ir.views);
    const testSet = new HostData(problem(400, 2), ir.views);
    const { session } = await train(ir, trainSet, null, {
      run: new RunDir(mkdtempSync(join(tmpdir(), "vae-ib-"))),
      epochs: 40,
      batch: 32,
      seed: 3,
      engine: new TfjsEngine(),
    });
    const ib = await ibMetrics(session, testSet, { seed: 9, samples: 12 });
    const y = ib.views["y"]!;
    // Labels are a deterministic function of x: the bottleneck must carry them (margin for the
    // boundary cases of a 40-epoch MLP on 600 examples).
    expect(y.accuracy_averaged!).toBeGreaterThan(0.95);
    expect(y.accuracy_one_sample!).toBeGreaterThan(0.9);
    // H(Y) from the test labels' counts, recomputed here.
    const labels = problem(400, 2).views.get("y")!;
    const counts = [0, 1, 2].map((k) => labels.filter((v) => v === k).length);
    expect(y.entropy_nats!).toBeCloseTo(entropy(counts), 10);
    expect(y.entropy_nats!).toBeCloseTo(
      -counts.reduce((s, c) => s + (c / 400) * Math.log(c / 400), 0),
      10,
    );
    expect(y.mi_lower_bound_nats!).toBeLessThanOrEqual(y.entropy_nats!);
    expect(y.mi_lower_bound_nats!).toBeGreaterThan(0.8 * y.entropy_nats!);
    expect(y.mi_lower_bound_bits!).toBeCloseTo(
      y.mi_lower_bound_nats! / Math.log(2),
      10,
    );
    // The rate is the mean closed-form KL of q(z|x) to N(0, I), recomputed in float64 from the
    // encoder's outputs: ½ Σ (σ² + μ² − 1 − log σ²).
    const batch = new Map(
      [...problem(400, 2).views].map(([k, v]) => [
        k,
        { shape: [400, k === "x" ? 4 : 1], data: v },
      ]),
    );
    const q = await session.encode(batch);
    const mu = q["mean/z"]!.data;
    const sd = q["scale/z"]!.data;
    let kl = 0;
    mu.forEach(
      (m, i) => (kl += 0.5 * (sd[i]! ** 2 + m * m - 1 - 2 * Math.log(sd[i]!))),
    );
    expect(ib.rate_nats).toBeCloseTo(kl / 400, 3);
    expect(ib.rate_bits).toBeCloseTo(ib.rate_nats / Math.log(2), 10);
    session.dispose();
  });
});
