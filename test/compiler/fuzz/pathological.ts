// Generators of pathological inputs of a given size in bytes: the garbage and the extremes that
// once took super-linear time or memory, or overflowed the stack. Deterministic (seeded).
import fc from "fast-check";
import { grammarSpec } from "./grammar-specs.js";

/** A small deterministic generator (mulberry32), so every size of every class is reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Repeats `unit(i)` until the text has about `bytes` characters. */
function fill(
  bytes: number,
  unit: (i: number) => string,
  head = "",
  tail = "",
): string {
  const parts = [head];
  let length = head.length + tail.length;
  for (let i = 0; length < bytes; i++) {
    const u = unit(i);
    parts.push(u);
    length += u.length;
  }
  parts.push(tail);
  return parts.join("");
}

// No `//` or `/*`: a comment would swallow the rest of the input.
const tokens = [
  ...'model train data latent let p q x z ( ) [ ] { } : , | = -> 1 2.5 relu linear mlp "s" @ */'.split(
    " ",
  ),
  "\n",
];

const modelHead =
  "model m {\n  data x : real[4]\n  latent z : real[2]\n  prior p(z) = Normal(0, 1)\n";
const modelTail =
  "  decoder p(x | z) = Normal(loc: linear(z), scale: learned)\n}\n";

export const pathological: Record<string, (bytes: number) => string> = {
  "random bytes": (n) => {
    const r = seededRandom(1);
    return fill(n, () => String.fromCharCode(Math.floor(r() * 256)));
  },
  "random tokens": (n) => {
    const r = seededRandom(2);
    return fill(n, () => `${tokens[Math.floor(r() * tokens.length)]!} `);
  },
  "repeated junk statements": (n) => fill(n, () => "data = ) ", "model m { "),
  "repeated junk tokens": (n) => fill(n, () => "= ) ] , "),
  "unknown names": (n) =>
    fill(
      n,
      (i) => `valeu${i}, `,
      `${modelHead}  encoder q(z | x) = DiagNormal(concat(`,
      `x))\n${modelTail}`,
    ),
  "unknown names against many lets": (n) =>
    fill(
      n,
      (i) => `  let value${i} = linear(valeu${i}, 4)\n`,
      modelHead,
      modelTail,
    ),
  "deep brackets": (n) => fill(n, () => "(["),
  "deep calls": (n) =>
    `${modelHead}  let h = ${fill(n / 2, () => "linear(")}x${")".repeat(n / 14)}\n${modelTail}`,
  "long string": (n) => `model m { let s = "${"a".repeat(n)}" }`,
  "long unterminated string": (n) =>
    `model m { let s = "${"\\d".repeat(n / 2)}`,
  "many bad escapes": (n) =>
    fill(n, () => '"C:\\data" ', "model m { let s = [", "] }"),
  "at signs": (n) => "@".repeat(n),
  "long identifier": (n) =>
    `model m { let ${"a".repeat(n / 2)} = linear(${"a".repeat(n / 2 - 1)}b) }`,
  "let chain": (n) =>
    fill(
      n,
      (i) => `  let a${i + 1} = dense(a${i}, [4], relu)\n`,
      `${modelHead}  let a0 = linear(x, 4)\n`,
      `${modelTail}`,
    ),
  "long hidden-width list": (n) =>
    fill(
      n,
      () => "1, ",
      `${modelHead}  encoder q(z | x) = DiagNormal(mlp(x, [`,
      `1], relu))\n${modelTail}`,
    ),
  "many declarations": (n) =>
    fill(n, (i) => `  data v${i} : real[1]\n`, "model m {\n", "}\n"),
  "many models": (n) =>
    fill(
      n,
      (i) =>
        `model m${i} {\n  data x : real[4]\n  latent z : real[2]\n  prior p(z) = Normal(0, 1)\n  encoder q(z | x) = DiagNormal(linear(x))\n  decoder p(x | z) = Normal(loc: linear(z), scale: learned)\n}\n`,
    ),
  "grammar-shaped specs": (n) => {
    const specs = fc.sample(grammarSpec, { seed: 3, numRuns: 1000 });
    return fill(n, (i) => `${specs[i % specs.length]!}\n`);
  },
};

/** The classes that are garbage, not big valid specs: `vae check` must take under 2 s on 1 MB of each. */
export const garbage: ReadonlySet<string> = new Set(
  Object.keys(pathological).filter(
    (k) => !["let chain", "long hidden-width list", "many models"].includes(k),
  ),
);
