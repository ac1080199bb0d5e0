// A run directory written by an older vaec (IR version 1 in model.json) is refused by name —
// an IoError saying which version it holds, which this vaec reads, and what to do — and the
// command exits 2 with that one line, instead of a list of schema complaints about fields
// version 1 never had.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { IoError } from "../../../src/runtime/io/files.js";
import { RunDir } from "../../../src/runtime/run/run-dir.js";
import { vae } from "../../cli/in-process.js";

const spec = `model m {
  data x : binary[4]
  latent z : real[2]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(linear(x))
  decoder p(x | z) = Bernoulli(logits: linear(z))
}
train m { data = csv(path: "x.csv") }`;

/** A run directory whose model.json is today's IR with `irVersion` set to `version`. */
function runWithVersion(version: number): RunDir {
  const ir = compile(spec, "m.vae").models[0]!;
  const run = new RunDir(
    join(mkdtempSync(join(tmpdir(), "vae-old-ir-")), "run"),
  );
  run.create();
  writeFileSync(
    run.modelPath,
    JSON.stringify({ ...ir, irVersion: version }, null, 2),
  );
  return run;
}

const message = (path: string, who: string, version: number): string =>
  `${path} was written by ${who} vaec (IR version ${version}); this vaec reads IR version 2: train the spec again into a new run directory (vae train FILE --out DIR)`;

describe("model.json of another IR version", () => {
  it("version 1 is an IoError naming the file, both versions and the way out", () => {
    const run = runWithVersion(1);
    let err: unknown;
    try {
      run.readModel();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IoError);
    expect((err as Error).message).toBe(message(run.modelPath, "an older", 1));
  });

  it("a newer version says so", () => {
    const run = runWithVersion(3);
    expect(() => run.readModel()).toThrow(message(run.modelPath, "a newer", 3));
  });

  it("version 2 is read", () => {
    const run = runWithVersion(2);
    expect(run.readModel().irVersion).toBe(2);
  });

  it("vae eval on it exits 2 with that one line", async () => {
    const run = runWithVersion(1);
    const r = await vae("eval", run.path, "--backend", "cpu");
    expect(r.code).toBe(2);
    expect(r.err).toBe(`vae: ${message(run.modelPath, "an older", 1)}\n`);
    expect(r.out).toBe("");
  });
});
