// `vae sweep` end to end on a small two-view problem read from a CSV file: one run per β, sweep.json,
// the information plane (SVG and PNG), and the rate falling as β grows.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
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
      const y = p.views["y"]!;
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
