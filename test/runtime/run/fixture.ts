// A tiny run-directory fixture: a CSV of 6 binary columns and a spec with two small models (m, and
// m2 with another hidden width), optionally with a test set, for tests of train / resume / eval.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface FixtureOptions {
  /** Declare `test = csv(...)` in the train blocks. */
  test?: boolean;
  /** The hidden width of model m's networks. */
  hidden?: number;
  /** Model m's batch size in the spec. */
  batch?: number;
}

export function specText(o: FixtureOptions = {}): string {
  const test = o.test === false ? "" : `test = csv(path: "test.csv")`;
  const model = (name: string, hidden: number, batch: number): string =>
    `model ${name} {
  data x : binary[6]
  latent z : real[2]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [${hidden}], tanh))
  decoder p(x | z) = Bernoulli(logits: mlp(z, [${hidden}], tanh))
}
train ${name} {
  data = csv(path: "train.csv")
  ${test}
  optimizer = adam(lr: 1e-2)
  batch = ${batch}
  epochs = 2
  seed = 5
}
`;
  return model("m", o.hidden ?? 8, o.batch ?? 8) + model("m2", 5, 8);
}

function csv(rows: number, seed: number): string {
  let s = seed;
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const row: number[] = [];
    for (let j = 0; j < 6; j++) {
      s = (s * 1103515245 + 12345) % 2147483648;
      row.push(s / 2147483648 < (j + 1) / 7 ? 1 : 0);
    }
    lines.push(row.join(","));
  }
  return lines.join("\n") + "\n";
}

/** A fresh folder with train.csv (80 rows), test.csv (30 rows) and spec.vae; returns the spec path. */
export function writeFixture(o: FixtureOptions = {}): string {
  const dir = mkdtempSync(join(tmpdir(), "vae-run-"));
  writeFileSync(join(dir, "train.csv"), csv(80, 1));
  writeFileSync(join(dir, "test.csv"), csv(30, 2));
  const spec = join(dir, "spec.vae");
  writeFileSync(spec, specText(o));
  return spec;
}
