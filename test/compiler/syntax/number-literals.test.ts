// Number literals in every numeric position of every example: compile() never throws, and either the
// IR validates (widths ≤ MAX_WIDTH, integer settings exact) or a catalogued diagnostic points into
// the text; a literal that overflows to ±Infinity is always reported at the literal.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../../src/compiler/driver.js";
import { Messages } from "../../../src/compiler/diagnostics/catalog.js";
import { validateIr } from "../../../src/ir/validate.js";
import { MAX_WIDTH } from "../../../src/compiler/limits.js";
import { vaeLexer } from "../../../src/compiler/syntax/lexer.js";
import { examplesDir, vaeFiles } from "../../golden/golden.js";

const codes = new Set(Object.values(Messages).map((m) => m.code));
const examples = vaeFiles(examplesDir).map((f) => readFileSync(f, "utf8"));

/** Where each example has number literals: [start, end) offsets. */
const numberSlots = examples.map((text) =>
  vaeLexer
    .tokenize(text)
    .tokens.filter((t) => t.tokenType.name === "NumberLiteral")
    .map((t) => [t.startOffset, t.endOffset! + 1] as const),
);

const digits = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .array(fc.constantFrom(..."0123456789"), { minLength: min, maxLength: max })
    .map((ds) => ds.join(""));

/** Number literals the lexer accepts, weighted toward the edges: overflow, 2^53, widths near 2^20. */
const numberLiteral: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0",
    "-0",
    "1",
    "-1",
    "2",
    "0.5",
    "2.",
    ".5",
    "1e-3",
    "1e308",
    "1.8e308",
    "-1.8e308",
    "1e309",
    "1e400",
    "-1e400",
    "1e999",
    "1e-400",
    "9007199254740991",
    "9007199254740992",
    "9007199254740993",
    "4503599627370496.5",
    "123456789012345678901234567890",
    "1e12",
    "1048576",
    "1048577",
    "524288",
    "2097152",
    "1e6",
    "65536",
  ),
  fc.integer({ min: -5, max: 2_000_000 }).map(String),
  fc
    .tuple(
      fc.boolean(),
      digits(1, 25),
      fc.option(digits(0, 25)),
      fc.option(fc.integer({ min: -500, max: 500 })),
    )
    .map(
      ([neg, whole, frac, exp]) =>
        `${neg ? "-" : ""}${whole}${frac === null ? "" : `.${frac}`}${exp === null ? "" : `e${exp}`}`,
    ),
);

const integerKeys = new Set([
  "width",
  "categories",
  "in",
  "out",
  "offset",
  "samples",
  "epochs",
  "period",
  "batch",
  "seed",
  "components",
]);
const widthKeys = new Set(["width", "categories", "in", "out"]);

/** Checks every number in an IR document: finite, and exact integers within limits where they must be. */
function checkIrNumbers(value: unknown, key = ""): void {
  if (typeof value === "number") {
    expect(Number.isFinite(value), key).toBe(true);
    if (integerKeys.has(key))
      expect(Number.isSafeInteger(value), key).toBe(true);
    if (widthKeys.has(key)) expect(value, key).toBeLessThanOrEqual(MAX_WIDTH);
  } else if (Array.isArray(value)) value.forEach((v) => checkIrNumbers(v, key));
  else if (value !== null && typeof value === "object")
    for (const [k, v] of Object.entries(value)) checkIrNumbers(v, k);
}

const edits = fc.nat({ max: examples.length - 1 }).chain((i) =>
  fc.tuple(
    fc.constant(i),
    fc.uniqueArray(fc.nat({ max: numberSlots[i]!.length - 1 }), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.array(numberLiteral, { minLength: 3, maxLength: 3 }),
  ),
);

describe("number literals in every numeric position (fast-check, seeded)", () => {
  it("2 000 edited examples: IR valid and in range, or a catalogued diagnostic at the literal", () => {
    let accepted = 0;
    fc.assert(
      fc.property(edits, ([i, slots, literals]) => {
        let text = examples[i]!;
        const placed: { offset: number; raw: string }[] = [];
        // Right to left, so earlier offsets stay valid.
        const chosen = slots
          .map((s, k) => ({ slot: numberSlots[i]![s]!, raw: literals[k]! }))
          .sort((a, b) => b.slot[0] - a.slot[0]);
        for (const { slot, raw } of chosen) {
          text = text.slice(0, slot[0]) + raw + text.slice(slot[1]);
          for (const p of placed) p.offset += raw.length - (slot[1] - slot[0]);
          placed.push({ offset: slot[0], raw });
        }
        const result = compile(text, "n.vae");
        for (const d of result.diagnostics) {
          expect(codes.has(d.code), d.code).toBe(true);
          expect(d.span.start.offset).toBeGreaterThanOrEqual(0);
          expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
        }
        const errors = result.diagnostics.filter((d) => d.severity === "error");
        if (errors.length === 0) {
          accepted++;
          expect(result.models.length).toBeGreaterThan(0);
          for (const ir of result.models) {
            expect(validateIr(ir)).toEqual([]);
            checkIrNumbers(ir);
          }
        }
        for (const p of placed) {
          if (Number.isFinite(Number(p.raw))) continue;
          const at = errors.some(
            (d) =>
              d.span.start.offset <= p.offset &&
              p.offset < Math.max(d.span.end.offset, d.span.start.offset + 1),
          );
          expect(at, `${p.raw} at ${p.offset} not reported`).toBe(true);
        }
      }),
      { seed: 9001, numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});

const base = `model m {
  data   x : real[784]
  latent z : real[16]
  prior p(z) = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [400], relu))
  decoder p(x | z) = Normal(loc: mlp(z, [400], relu), scale: 1)
}
train m {
  data   = csv("x.csv")
  epochs = 10
}
`;
/** `base` with `from` replaced by `to` (a function replacement: no `$` patterns). */
const spec = (from: string, to: string): string => base.replace(from, () => to);
const messages = (text: string): string[] =>
  compile(text).diagnostics.map(
    (d) => `${d.code} ${d.span.start.line}:${d.span.start.col} ${d.message}`,
  );

describe("range diagnostics for numbers", () => {
  it.each([
    [
      "real[784]",
      "real[1e308]",
      "E040 2:19 a width must be ≥ 1 and ≤ 1048576, found 1e308",
    ],
    [
      "real[784]",
      "real[1e12]",
      "E040 2:19 a width must be ≥ 1 and ≤ 1048576, found 1e12",
    ],
    [
      "real[784]",
      "real[1048577]",
      "E040 2:19 a width must be ≥ 1 and ≤ 1048576, found 1048577",
    ],
    [
      "real[16]",
      "real[9007199254740993]",
      "E040 3:19 a width must be ≥ 1 and ≤ 1048576, found 9007199254740993",
    ],
    [
      "[400], relu))\n  decoder",
      "[4e6], relu))\n  decoder",
      "E040 5:41 a hidden width must be ≥ 1 and ≤ 1048576, found 4e6",
    ],
    [
      "epochs = 10",
      "epochs = 9007199254740993",
      "E040 10:12 `epochs` must be ≥ 1 and ≤ 9007199254740991, found 9007199254740993",
    ],
    [
      "epochs = 10",
      "epochs = 1e400",
      "E040 10:12 a number must be at most 1.7976931348623157e308 in magnitude, found 1e400",
    ],
    [
      "epochs = 10",
      "epochs = 1e-400",
      "E042 10:12 `epochs` must be an integer, found 1e-400",
    ],
    [
      "epochs = 10",
      "epochs = 4503599627370496.5",
      "E042 10:12 `epochs` must be an integer, found 4503599627370496.5",
    ],
    [
      "Normal(0, 1)",
      "Normal(0, 1e999)",
      "E040 4:26 a number must be at most 1.7976931348623157e308 in magnitude, found 1e999",
    ],
    [
      "Normal(0, 1)",
      "Normal(-1e400, 1)",
      "E040 4:23 a number must be at most 1.7976931348623157e308 in magnitude, found -1e400",
    ],
  ])("%s → %s", (from, to, expected) => {
    expect(messages(spec(from, to))).toEqual([expected]);
  });

  it("accepts widths of exactly MAX_WIDTH", () => {
    const text = spec("real[784]", `real[${MAX_WIDTH}]`).replace(
      "[400], relu))\n  decoder",
      () => `[${MAX_WIDTH}], relu))\n  decoder`,
    );
    const { models, diagnostics } = compile(text);
    expect(diagnostics).toEqual([]);
    expect(models[0]!.views[0]!.width).toBe(MAX_WIDTH);
  });

  it("reports an inferred head wider than MAX_WIDTH at the network", () => {
    // A full covariance over 2048 dimensions needs 2048 + 2048·2049/2 = 2 100 224 outputs.
    const text = spec("real[16]", "real[2048]").replace(
      "DiagNormal(",
      "FullNormal(",
    );
    const out = messages(text);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /^E040 5:33 the width of the loc and scale_tril head of `FullNormal` over `z` must be ≤ 1048576, found 2100224$/,
    );
  });

  it("reports a concat wider than MAX_WIDTH", () => {
    const text = `model m {
  data   x : real[1048576]
  data   y : real[1048576]
  latent z : real[16]
  prior p(z) = Normal(0, 1)
  encoder q(z | x, y) = DiagNormal(mlp(concat(x, y), [16], relu))
  decoder p(x | z) = Normal(loc: mlp(z, [16], relu), scale: 1)
  decoder p(y | z) = Normal(loc: mlp(z, [16], relu), scale: 1)
}
`;
    expect(messages(text)).toEqual([
      "E040 6:40 the width of this `concat` must be ≤ 1048576, found 2097152",
    ]);
  });

  it("quotes a long literal shortened, with its length", () => {
    const raw = "1".repeat(100);
    expect(messages(spec("real[784]", `real[${raw}]`))).toEqual([
      `E040 2:19 a width must be ≥ 1 and ≤ 1048576, found ${"1".repeat(24)}…${"1".repeat(12)} (100 characters)`,
    ]);
  });
});
