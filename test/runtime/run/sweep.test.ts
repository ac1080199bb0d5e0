// `vae sweep` end to end on small problems read from CSV files: a two-view model gets one run per
// β, sweep.json and the information plane (the rate falling as β grows); a one-view VAE the
// rate–distortion plane, on its test split or, without one, its training data. Re-running a
// sweep follows `vae train`'s resume rule: the same request reuses, --epochs extends, a changed
// spec or fewer epochs are refused.
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { IoError } from "../../../src/runtime/io/files.js";
import { sweepRun } from "../../../src/runtime/run/sweep.js";

/** 300 rows: x₀..x₃ in [-1, 1], then y = argmax(x₀, x₁, x₂) — a label the input view determines. */
function writeProblem(dir: string): void {
  let s = 11;
  const u = (): number =>
    ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const rows: string[] = [];
  for (let i = 0; i < 300; i++) {
    const x = [u(), u(), u(), u()];
    rows.push(
      [
        ...x.map((v) => v.toFixed(4)),
        x.slice(0, 3).indexOf(Math.max(...x.slice(0, 3))),
      ].join(","),
    );
  }
  writeFileSync(join(dir, "problem.csv"), rows.join("\n") + "\n");
  writeFileSync(
    join(dir, "ib.vae"),
    `model ib {
  data x : real[4]
  data y : categorical[3]
  latent z : real[4]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [32], tanh), scale_head: softplus)
  decoder p(y | z) = Categorical(logits: mlp(z, [16], tanh))
}
train ib {
  data = csv(path: "problem.csv")
  test = csv(path: "problem.csv")
  views = { x: columns(0 -> 4), y: columns(4 -> 5) }
  optimizer = adam(lr: 1e-2)
  batch = 30
  epochs = 8
}
`,
  );
}

describe("vae sweep", () => {
  it("trains one run per β, writes sweep.json and the information plane, and the rate falls as β grows", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vae-sweep-"));
    writeProblem(dir);
    const out = join(dir, "sweep");
    const { points } = await sweepRun({
      file: join(dir, "ib.vae"),
      betas: [1e-3, 1],
      out,
      backend: "cpu",
      log: () => {},
    });
    expect(points.map((p) => p.beta)).toEqual([1e-3, 1]);
    const saved = JSON.parse(readFileSync(join(out, "sweep.json"), "utf8")) as {
      points: typeof points;
    };
    expect(saved.points).toHaveLength(2);
    // β = 1 squeezes the bottleneck far more than β = 1e-3 (margin: a factor 2 in rate).
    expect(points[1]!.rate_bits).toBeLessThan(points[0]!.rate_bits / 2);
    for (const p of points) {
      expect(p.split).toBe("test");
      const y = p.views!["y"]!;
      expect(y.mi_lower_bound_bits!).toBeLessThanOrEqual(
        y.entropy_nats! / Math.log(2) + 1e-9,
      );
      expect(existsSync(join(p.run, "checkpoint.bin"))).toBe(true);
    }
    const svg = readFileSync(join(out, "infoplane.svg"), "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg.match(/<circle /g)).toHaveLength(2);
    expect(svg).toContain("β = 1e-3");
    const png = PNG.sync.read(readFileSync(join(out, "infoplane.png")));
    expect(png.width).toBe(640);
    // Running the sweep again resumes: finished runs are not retrained and give the same points.
    const again = await sweepRun({
      file: join(dir, "ib.vae"),
      betas: [1e-3, 1],
      out,
      backend: "cpu",
      log: () => {},
    });
    expect(again.points.map((p) => p.rate_bits)).toEqual(
      points.map((p) => p.rate_bits),
    );
  });
});

/** A one-view VAE of x₀..x₃ from the same kind of rows, with or without a test set. */
function writeVae(
  dir: string,
  test: boolean,
  epochs: number,
  hidden = 16,
): string {
  const file = join(dir, `vae-${test}.vae`);
  writeFileSync(
    file,
    `model plain {
  data x : real[4]
  latent z : real[2]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [${hidden}], tanh))
  decoder p(x | z) = Normal(loc: mlp(z, [${hidden}], tanh), scale: 0.3)
}
train plain {
  data = csv(path: "problem.csv")
  ${test ? 'test = csv(path: "problem.csv")' : ""}
  views = { x: columns(0 -> 4) }
  optimizer = adam(lr: 1e-2)
  batch = 30
  epochs = ${epochs}
}
`,
  );
  return file;
}

const epochsOf = (run: string): number =>
  readFileSync(join(run, "metrics.jsonl"), "utf8").trim().split("\n").length;

describe("vae sweep of a one-view VAE", () => {
  it("draws the rate–distortion plane; the rate falls and the distortion rises with β", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vae-sweep-rd-"));
    writeProblem(dir);
    const out = join(dir, "sweep");
    const { points } = await sweepRun({
      file: writeVae(dir, true, 6),
      betas: [0.01, 3],
      out,
      backend: "cpu",
      log: () => {},
    });
    for (const p of points) {
      expect(p.split).toBe("test");
      expect(p.views).toBeUndefined();
      expect(p.rate_bits).toBeCloseTo(p.rate_nats / Math.LN2, 9);
      expect(p.elbo).toBeCloseTo(-(p.rate_nats + p.distortion_nats), 6);
    }
    expect(points[1]!.rate_nats).toBeLessThan(points[0]!.rate_nats);
    expect(points[1]!.distortion_nats).toBeGreaterThan(
      points[0]!.distortion_nats,
    );
    expect(readdirSync(out).sort()).toEqual([
      "beta-0.01",
      "beta-3",
      "rate-distortion.png",
      "rate-distortion.svg",
      "sweep.json",
    ]);
    const svg = readFileSync(join(out, "rate-distortion.svg"), "utf8");
    expect(svg).toContain("distortion D = E[−log p(x|z)] (nats)");
    expect(svg.match(/<circle /g)).toHaveLength(2);
  });

  it("evaluates the training data when the model has no test set, and says so", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vae-sweep-train-"));
    writeProblem(dir);
    const { points } = await sweepRun({
      file: writeVae(dir, false, 1),
      betas: [1],
      out: join(dir, "sweep"),
      backend: "cpu",
      log: () => {},
    });
    expect(points[0]!.split).toBe("train");
  });

  it("re-run: --epochs extends every β run; fewer epochs or another spec are refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vae-sweep-resume-"));
    writeProblem(dir);
    const out = join(dir, "sweep");
    const sweep = (file: string, epochs?: number) =>
      sweepRun({
        file,
        betas: [0.1, 1],
        out,
        backend: "cpu",
        log: () => {},
        ...(epochs === undefined ? {} : { epochs }),
      });
    const first = await sweep(writeVae(dir, true, 2));
    expect(first.points.map((p) => epochsOf(p.run))).toEqual([2, 2]);
    const same = await sweep(writeVae(dir, true, 2));
    expect(same.points).toEqual(first.points);
    const longer = await sweep(writeVae(dir, true, 2), 4);
    expect(longer.points.map((p) => epochsOf(p.run))).toEqual([4, 4]);
    expect(longer.points[0]!.elbo).not.toBe(first.points[0]!.elbo);
    await expect(sweep(writeVae(dir, true, 2), 3)).rejects.toThrow(
      /already has 4 epochs; --epochs 3 would shorten it/,
    );
    const changed = sweep(writeVae(dir, true, 4, 24));
    await expect(changed).rejects.toThrow(IoError);
    await expect(changed).rejects.toThrow(
      /cannot resume .* with another configuration/,
    );
  });
});
