// Keeps grammar/ (EBNF, railroad diagrams, TextMate grammar) in step with the lexer and parser.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { railroadHtml } from "../../scripts/railroad-html.js";
import { vaeParser } from "../../src/compiler/syntax/grammar.js";
import {
  allTokens,
  keywordTokens,
  NumberLiteral,
} from "../../src/compiler/syntax/lexer.js";

const grammarFile = (name: string): string =>
  readFileSync(new URL(`../../grammar/${name}`, import.meta.url), "utf8");

interface TmRule {
  name?: string;
  match?: string;
}
const tmGrammar = JSON.parse(grammarFile("vae.tmLanguage.json")) as {
  scopeName: string;
  fileTypes: string[];
  repository: Record<string, TmRule>;
};

/** The `match` regex of one TextMate repository entry, compiled as a JavaScript RegExp. */
function tmRegex(key: string, flags = ""): RegExp {
  const source = tmGrammar.repository[key]?.match;
  if (source === undefined) throw new Error(`no repository.${key}.match`);
  return new RegExp(source, flags);
}

/** The part of `text` a regex matches, searching anywhere, or null. */
const firstMatch = (re: RegExp, text: string): string | null =>
  re.exec(text)?.[0] ?? null;

const wholeMatch = (source: string, text: string): boolean =>
  new RegExp(`^(?:${source})$`).test(text);

describe("grammar/railroad.html", () => {
  it("is up to date with the parser", () => {
    const committed = grammarFile("railroad.html");
    expect(
      committed === railroadHtml(),
      "grammar/railroad.html is stale: run `npm run railroad` and commit it",
    ).toBe(true);
  });

  it("draws every parser rule", () => {
    const html = railroadHtml();
    for (const name of Object.keys(vaeParser.getGAstProductions())) {
      expect(html).toContain(`"name": "${name}"`);
    }
  });
});

describe("grammar/vae.ebnf", () => {
  const ebnf = grammarFile("vae.ebnf");
  const productions = [
    ...ebnf.matchAll(/^([A-Za-z][A-Za-z0-9_]*)\s*::=/gm),
  ].map((m) => m[1]!);
  const ruleNames = Object.keys(vaeParser.getGAstProductions());

  it("defines each production once", () => {
    expect(productions.length).toBeGreaterThan(ruleNames.length);
    expect(new Set(productions).size).toBe(productions.length);
  });

  it("has exactly the parser's rules as its lower-case productions", () => {
    const syntactic = productions.filter((name) => /^[a-z]/.test(name));
    expect([...syntactic].sort()).toEqual([...ruleNames].sort());
  });

  it("names its lexical productions after lexer tokens", () => {
    const lexical = productions.filter((name) => /^[A-Z]/.test(name));
    const tokenNames = new Set(allTokens.map((t) => t.name));
    for (const name of lexical) {
      expect(tokenNames.has(name) || name === "Keyword", name).toBe(true);
    }
    for (const name of [
      "Identifier",
      "NumberLiteral",
      "StringLiteral",
      "LineComment",
      "BlockComment",
      "WhiteSpace",
    ]) {
      expect(lexical).toContain(name);
    }
  });

  it("lists exactly the lexer's keywords in Keyword", () => {
    const line = /^Keyword\s*::=(.*)$/m.exec(ebnf)?.[1] ?? "";
    const words = [...line.matchAll(/'([^']*)'/g)].map((m) => m[1]);
    const keywords = keywordTokens.map((t) => (t.PATTERN as RegExp).source);
    expect(words.sort()).toEqual([...keywords].sort());
  });
});

describe("grammar/vae.tmLanguage.json", () => {
  it("is the source.vae grammar for .vae files", () => {
    expect(tmGrammar.scopeName).toBe("source.vae");
    expect(tmGrammar.fileTypes).toEqual(["vae"]);
  });

  it("highlights every lexer keyword, and only as a whole word", () => {
    const keyword = tmRegex("keywords");
    for (const token of keywordTokens) {
      const word = (token.PATTERN as RegExp).source;
      expect(firstMatch(keyword, word), word).toBe(word);
      expect(firstMatch(keyword, `  ${word} x`), word).toBe(word);
    }
  });

  it("does not highlight identifiers that merely contain a keyword", () => {
    const keyword = tmRegex("keywords");
    const names = ["models", "datax", "_data", "data1", "Model", "klx"];
    const vocabulary = ["distributions", "functions", "constants"].flatMap(
      (key) =>
        /\(\?:([^)]*)\)/.exec(tmRegex(key).source)?.[1]?.split("|") ?? [],
    );
    expect(vocabulary).toContain("GaussianMixture");
    expect(vocabulary).toContain("mc");
    for (const name of [...names, ...vocabulary, "p", "q", "x", "z"]) {
      expect(firstMatch(keyword, name), name).toBeNull();
    }
  });

  it("matches numbers exactly as the lexer does", () => {
    const lexer = (NumberLiteral.PATTERN as RegExp).source;
    const tm = tmRegex("numbers").source;
    const accepted = ["1", "1.5", "-3", "1e-3", ".5", "2.", "1E+10", "-0.25e3"];
    const rejected = ["e5", "1e", ".", "-", "-.5.", "1.2.3", "+1", "--1", "x1"];
    for (const sample of accepted) {
      expect(wholeMatch(lexer, sample), sample).toBe(true);
      expect(wholeMatch(tm, sample), sample).toBe(true);
    }
    for (const sample of rejected) {
      expect(wholeMatch(lexer, sample), sample).toBe(false);
      expect(wholeMatch(tm, sample), sample).toBe(false);
    }
  });

  it("does not highlight digits inside an identifier", () => {
    const numbers = tmRegex("numbers");
    expect(firstMatch(numbers, "real[20]")).toBe("20");
    expect(firstMatch(numbers, "layer2")).toBeNull();
    expect(firstMatch(numbers, "warmup(0 -> 1")).toBe("0");
  });
});
