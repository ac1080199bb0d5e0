// Every example checks cleanly and compiles to exactly its golden IR, which validates against the schema.
import { readFileSync, existsSync } from "node:fs";
import { basename } from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/driver.js";
import { validateIr } from "../../src/ir/validate.js";
import { examplesDir, exampleIr, irPath, vaeFiles } from "../golden/golden.js";

const examples = vaeFiles(examplesDir);

describe("examples", () => {
  it("include the ones the language issue requires", () => {
    const names = examples.map((f) => basename(f));
    for (const required of [
      "mnist.vae",
      "mnist_gaussian.vae",
      "beta_vae.vae",
      "full_covariance.vae",
      "mixture_prior.vae",
      "pca.vae",
      "mnist_vib.vae",
    ]) {
      expect(names).toContain(required);
    }
  });

  for (const file of examples) {
    describe(basename(file), () => {
      it("has no diagnostics at all (not even warnings)", () => {
        const result = compile(readFileSync(file, "utf8"), file);
        expect(result.diagnostics).toEqual([]);
        expect(result.models).toHaveLength(1);
      });
      it("compiles to its golden IR", () => {
        expect(
          existsSync(irPath(file)),
          `missing ${irPath(file)}: run npm run golden`,
        ).toBe(true);
        expect(exampleIr(file)).toBe(readFileSync(irPath(file), "utf8"));
      });
      it("golden IR is valid against the schema", () => {
        expect(
          validateIr(JSON.parse(readFileSync(irPath(file), "utf8"))),
        ).toEqual([]);
      });
    });
  }
});
