// The input limits and the inputs beyond them: bracket nesting up to the limit compiles and one
// more level is E009 at that bracket; a file past the token limit is one E009; long flat inputs
// (chains of 10 000 `let`s, lists of 100 000 widths, thousands of declarations and models) are no
// limit at all and compile without overflowing the stack. Each class is generated, many members.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile } from "../../src/compiler/driver.js";
import { renderDiagnostics } from "../../src/compiler/diagnostics/render.js";
import { formatVae } from "../../src/compiler/format/format.js";
import {
  checkTokenCount,
  MAX_NESTING,
  MAX_TOKENS,
} from "../../src/compiler/syntax/input-limits.js";
import { vaeLexer } from "../../src/compiler/syntax/lexer.js";
import { withoutSpans } from "./fuzz/oracle.js";
import { seededRandom } from "./fuzz/pathological.js";

const head =
  "model m {\n  data x : real[4]\n  latent z : real[2]\n  prior p(z) = Normal(0, 1)\n";
const decoder = "  decoder p(x | z) = Normal(loc: linear(z), scale: learned)\n";

/** Everything about one text that must hold whatever it is: nothing throws. */
function compileAll(text: string) {
  const result = compile(text, "limits.vae");
  renderDiagnostics(result.diagnostics, "limits.vae", text);
  formatVae(text);
  return result;
}

/** The offset of the bracket that opens level `level`, counting every `(`, `[`, `{` and closer. */
function openingOfLevel(text: string, level: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if ("([{".includes(text[i]!) && ++depth === level) return i;
    if (")]}".includes(text[i]!) && depth > 0) depth--;
  }
  return -1;
}

/** Nests `k` levels of one construct around `x` (each adds one bracket level, `mlp` two at its `[`). */
const nestings: Record<string, (k: number) => string> = {
  linear: (k) => `${"linear(".repeat(k)}x${")".repeat(k)}`,
  concat: (k) => `${"concat(x, ".repeat(k)}x${")".repeat(k)}`,
  mlp: (k) => `${"mlp(".repeat(k)}x${", [4], relu)".repeat(k)}`,
  list: (k) => `dense(x, ${"[".repeat(k)}4${"]".repeat(k)}, relu)`,
  record: (k) => `${"{ a: ".repeat(k)}x${" }".repeat(k)}`,
  parentheses: (k) => `${"(".repeat(k)}x${")".repeat(k)}`,
};

describe(`bracket nesting (at most ${MAX_NESTING} levels, E009)`, () => {
  it("every construct nested around the limit: E009 exactly past it, at the first bracket past it", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(nestings)),
        fc.oneof(
          fc.integer({ min: MAX_NESTING - 4, max: MAX_NESTING + 4 }),
          fc.integer({ min: MAX_NESTING, max: 5000 }),
        ),
        fc.constantFrom("let", "train", "top"),
        (kind, k, where) => {
          const value = nestings[kind]!(k);
          const text =
            where === "let"
              ? `${head}  let h = ${value}\n${decoder}}\n`
              : where === "train"
                ? `${head}${decoder}}\ntrain m {\n  views = ${value}\n}\n`
                : `${value}\n${head}${decoder}}\n`;
          const deepest = openingOfLevel(text, MAX_NESTING + 1);
          const e009 = compileAll(text).diagnostics.filter(
            (d) => d.code === "E009",
          );
          if (deepest === -1) expect(e009).toEqual([]);
          else {
            expect(e009).toHaveLength(1);
            expect(e009[0]!.span.start.offset).toBe(deepest);
          }
        },
      ),
      { seed: 64, numRuns: 150 },
    );
  });

  it("a valid spec nested exactly to the limit compiles, and formats into the same IR", () => {
    // model `{` and `DiagNormal(` are two levels; the rest are `linear(`s, all but the head 4 wide.
    const linears = (k: number) =>
      `linear(${"linear(".repeat(k - 1)}x${", 4)".repeat(k - 1)})`;
    const text = `${head}  encoder q(z | x) = DiagNormal(${linears(MAX_NESTING - 2)})\n${decoder}}\n`;
    const result = compileAll(text);
    expect(result.diagnostics).toEqual([]);
    expect(result.models[0]!.nodes.length).toBeGreaterThan(MAX_NESTING - 2);
    const formatted = formatVae(text).formatted!;
    expect(withoutSpans(compile(formatted).models)).toBe(
      withoutSpans(result.models),
    );
    const deeper = text
      .replace("DiagNormal(", "DiagNormal(linear(")
      .replace("))\n", ")))\n");
    expect(compile(deeper).diagnostics.map((d) => d.code)).toEqual(["E009"]);
  });
});

describe(`token count (at most ${MAX_TOKENS} tokens, E009)`, () => {
  it("a file of the limit's tokens passes it; one token more is one E009 at that token", () => {
    const spec = (k: number) =>
      `${head}  let s = [${"1, ".repeat(k)}1]\n${decoder}}\n`;
    const base = vaeLexer.tokenize(spec(0)).tokens.length;
    const under = Math.floor((MAX_TOKENS - base) / 2);
    // Parsing a million tokens takes seconds; the passing side is checked on the tokens alone.
    const passing = vaeLexer.tokenize(spec(under)).tokens;
    expect(passing.length).toBeGreaterThan(MAX_TOKENS - 2);
    expect(checkTokenCount(passing)).toBeUndefined();
    const text = spec(under + 1);
    const tokens = vaeLexer.tokenize(text).tokens;
    expect(tokens.length).toBeGreaterThan(MAX_TOKENS);
    const { diagnostics } = compileAll(text);
    expect(diagnostics.map((d) => d.code)).toEqual(["E009"]);
    expect(diagnostics[0]!.span.start.offset).toBe(
      tokens[MAX_TOKENS]!.startOffset,
    );
  });
});

/** A chain a0 <- a1 <- ... <- a(n) of `let`s, declared in a shuffled order; the encoder reads a(n). */
function letChain(n: number, seed: number, cycle = false): string {
  const lets = [
    `  let a0 = ${cycle ? `dense(a${n}, [4], relu)` : "linear(x, 4)"}`,
  ];
  for (let i = 1; i <= n; i++)
    lets.push(`  let a${i} = dense(a${i - 1}, [4], relu)`);
  const r = seededRandom(seed);
  for (let i = lets.length - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [lets[i], lets[j]] = [lets[j]!, lets[i]!];
  }
  return `${head}${lets.join("\n")}\n  encoder q(z | x) = DiagNormal(linear(a${n}))\n${decoder}}\n`;
}

describe("`let` chains (not nesting: resolved by a loop)", () => {
  it("chains of up to 2 000 `let`s in any order compile to one layer per `let`", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.nat(), (n, seed) => {
        const result = compileAll(letChain(n, seed));
        expect(result.diagnostics).toEqual([]);
        const named = new Set(
          result.models[0]!.nodes.map((node) =>
            "name" in node ? node.name : undefined,
          ),
        );
        for (const i of [0, Math.floor(n / 2), n])
          expect(named.has(`a${i}`)).toBe(true);
      }),
      { seed: 10_000, numRuns: 15 },
    );
  });

  it("a chain of 10 000 `let`s compiles; closed into a cycle it is one E026 naming every value", () => {
    const n = 10_000;
    expect(compileAll(letChain(n, 1)).models).toHaveLength(1);
    const cyclic = compileAll(letChain(n, 1, true)).diagnostics;
    const e026 = cyclic.filter((d) => d.code === "E026");
    expect(e026).toHaveLength(1);
    expect(e026[0]!.message.split(" -> ")).toHaveLength(n + 2);
  });
});

describe("long lists and many declarations (not nesting: handled by loops)", () => {
  it("hidden-width lists of up to 100 000 widths compile to that many layers", () => {
    for (const n of [1, 1000, 100_000]) {
      const widths = Array.from({ length: n }, (_, i) => (i % 7) + 1).join(
        ", ",
      );
      const text = `${head}  encoder q(z | x) = DiagNormal(mlp(x, [${widths}], relu))\n${decoder}}\n`;
      const result = compileAll(text);
      expect(result.diagnostics).toEqual([]);
      expect(result.models[0]!.nodes.length).toBeGreaterThan(n);
    }
  });

  it("20 000 declarations in one model, and 2 000 models in one file, never throw", () => {
    const decls = `model m {\n${Array.from({ length: 20_000 }, (_, i) => `  data v${i} : real[1]`).join("\n")}\n}\n`;
    expect(compileAll(decls).diagnostics.at(-1)!.code).toBe("E099");
    const one = (i: number) =>
      `${head.replace("model m", `model m${i}`)}  encoder q(z | x) = DiagNormal(linear(x))\n${decoder}}\n`;
    const models = Array.from({ length: 2000 }, (_, i) => one(i)).join("\n");
    expect(compileAll(models).models).toHaveLength(2000);
  });
});
