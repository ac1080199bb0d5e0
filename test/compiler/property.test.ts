// Property test: random and mutated inputs never make the compiler or formatter throw, and every
// failure is a catalogued diagnostic with a span inside the text. Seeded, so failures reproduce.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/driver.js";
import { Messages } from "../../src/compiler/diagnostics/catalog.js";
import { formatVae } from "../../src/compiler/format/format.js";
import { validateIr } from "../../src/ir/validate.js";
import { examplesDir, vaeFiles } from "../golden/golden.js";

const catalog = new Map(
  Object.values(Messages).map((m) => [m.code, m.severity]),
);
const examples = vaeFiles(examplesDir).map((f) => readFileSync(f, "utf8"));

/** Words and symbols of the language plus near misses, so random inputs reach deep into the checker. */
const vocabulary = [
  "model",
  "train",
  "data",
  "latent",
  "let",
  "prior",
  "encoder",
  "decoder",
  "kl",
  "beta",
  "p",
  "q",
  "x",
  "z",
  "h",
  "y",
  "(",
  ")",
  "[",
  "]",
  "{",
  "}",
  ":",
  ",",
  "|",
  "=",
  "->",
  "\n",
  " ",
  "//c\n",
  "/*",
  "*/",
  '"',
  '"s"',
  "0",
  "1",
  "-1",
  "2.5",
  "1e-3",
  "784",
  "20",
  "real",
  "binary",
  "categorical",
  "Normal",
  "DiagNormal",
  "FullNormal",
  "GaussianMixture",
  "Bernoulli",
  "Categorical",
  "Laplace",
  "linear",
  "mlp",
  "dense",
  "concat",
  "relu",
  "learned",
  "analytic",
  "auto",
  "mc",
  "samples",
  "warmup",
  "cyclical",
  "epochs",
  "mnist",
  "csv",
  "adam",
  "lr",
  "batch",
  "views",
  "image",
  "label",
  "top_half",
  "logits",
  "loc",
  "scale",
  "@",
  "#",
  "é",
];

const tokenSoup = fc
  .array(fc.constantFrom(...vocabulary), { maxLength: 80 })
  .map((ws) => ws.join(" "));

type Mutation = {
  kind: "delete" | "insert" | "replace" | "duplicate";
  at: number;
  length: number;
  text: string;
};
const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("delete", "insert", "replace", "duplicate"),
  at: fc.nat(),
  length: fc.integer({ min: 1, max: 40 }),
  text: fc.oneof(fc.constantFrom(...vocabulary), fc.string({ maxLength: 6 })),
});

function mutate(source: string, mutations: Mutation[]): string {
  let s = source;
  for (const m of mutations) {
    const at = m.at % (s.length + 1);
    if (m.kind === "delete") s = s.slice(0, at) + s.slice(at + m.length);
    else if (m.kind === "insert") s = s.slice(0, at) + m.text + s.slice(at);
    else if (m.kind === "replace")
      s = s.slice(0, at) + m.text + s.slice(at + m.length);
    else s = s.slice(0, at) + s.slice(at, at + m.length) + s.slice(at);
  }
  return s;
}

const mutatedExample = fc
  .tuple(
    fc.nat({ max: examples.length - 1 }),
    fc.array(mutation, { minLength: 1, maxLength: 4 }),
  )
  .map(([i, ms]) => mutate(examples[i]!, ms));

function checkInvariants(text: string): void {
  const result = compile(text, "fuzz.vae");
  for (const d of result.diagnostics) {
    expect(catalog.get(d.code), `uncatalogued code ${d.code}`).toBe(d.severity);
    expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
    expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
    expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.message).not.toMatch(/\{\d\}|undefined|NaN/);
  }
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) expect(result.models).toEqual([]);
  for (const ir of result.models) expect(validateIr(ir)).toEqual([]);
  const formatted = formatVae(text).formatted;
  if (formatted !== undefined)
    expect(formatVae(formatted).formatted).toBe(formatted);
}

describe("compiler robustness (fast-check, seeded)", () => {
  it("4 000 token soups never throw and yield only catalogued diagnostics", () => {
    fc.assert(
      fc.property(tokenSoup, (t) => checkInvariants(t)),
      { seed: 20261121, numRuns: 4000 },
    );
  });

  it("6 000 mutated examples never throw and yield only catalogued diagnostics", () => {
    let accepted = 0;
    fc.assert(
      fc.property(mutatedExample, (t) => {
        checkInvariants(t);
        if (compile(t).models.length > 0) accepted++;
      }),
      { seed: 1121, numRuns: 6000 },
    );
    // Mutations must not be so destructive that the checker is never reached, nor so mild that all pass.
    expect(accepted).toBeGreaterThan(100);
    expect(accepted).toBeLessThan(5900);
  });

  it("arbitrary unicode strings never throw", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 200 }), (t) =>
        checkInvariants(t),
      ),
      { seed: 7, numRuns: 500 },
    );
  });
});
