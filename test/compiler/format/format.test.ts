// Tests for the `.vae` formatter (formatVae) and its Prettier plugin.
import * as prettier from "prettier";
import { describe, expect, it } from "vitest";
import { formatVae } from "../../../src/compiler/format/format.js";
import plugin from "../../../src/compiler/format/prettier-plugin.js";
import { vaeLexer } from "../../../src/compiler/syntax/lexer.js";
import { parse } from "../../../src/compiler/syntax/parse.js";

/** Formats text that must parse; fails the test otherwise. */
function fmt(text: string): string {
  const result = formatVae(text);
  expect(result.diagnostics).toEqual([]);
  expect(result.formatted).toBeTypeOf("string");
  return result.formatted!;
}

function stripSpans(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripSpans);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (k !== "span") out[k] = stripSpans(v);
    }
    return out;
  }
  return value;
}

/** The AST without spans; line comments lose trailing blanks, as the formatter prints them. */
function shape(text: string): unknown {
  const { program } = parse(text);
  expect(program).toBeDefined();
  const comments = program!.comments.map((c) =>
    c.text.startsWith("//") ? c.text.trimEnd() : c.text,
  );
  return stripSpans({ items: program!.items, comments });
}

const mnist = `// mnist.vae — Kingma & Welling's VAE on MNIST
model mnist_vae {
  data   x : binary[784]          // observed view
  latent z : real[20]
  let h = dense(x, [400], relu)
  prior   p(z)     = Normal(0, 1)
  encoder q(z | x) = DiagNormal(mlp(x, [400], relu), scale_head: softplus, clamp: [-10, 10])
  decoder p(x | z) = Bernoulli(logits: mlp(z, [400], relu))
  kl(z) = mc(samples: 16)
  kl   = analytic
  beta = warmup(0 -> 1, epochs: 10)
}

/* block comment */
train mnist_vae {
  data      = mnist(split: "train", binarize: none)
  views     = { x: image, y: top_half(image) }
  optimizer = adam(lr: 1e-3)
  batch     = 128
}
`;

/** The canonical form of `mnist`: only the spacing of three lines changes. */
const mnistFormatted = mnist
  .replace("binary[784]          //", "binary[784] //")
  .replace("prior   p(z)     =", "prior p(z) =")
  .replace("kl   =", "kl =");

const messy = `
   // leading comment, indented


model   two_view{data x:binary[784]
 data y  :  real[ 10 ]   latent z:real[20]/* after z */
let   h=dense( x,[ 400,200 ],relu )   let e = f ( )


   prior p ( z )=Normal( 0,1 )
encoder q(z|x,y)=DiagNormal(mlp(x,[400],relu),scale_head:softplus,clamp:[-10,10])
  decoder p(x|z)  =  Bernoulli( logits : mlp( z,[400],relu ) ) decoder p(y|z)=Normal(mlp(z,[10],tanh),scale:1.)
      kl( z )=mc( samples:16 )   kl=analytic
beta=warmup( 0->1,epochs:10 )
   // closing thoughts


   }   train two_view{   data=mnist(split:"train",binarize:none) views={x:image,y:top_half(image)}
optimizer   =   adam( lr:1e-3 )
  batch=128 schedule = {} extra=[]   nested = { a: [ -1.5e+2, .5 ], b: { c: "s" } }
}
model   empty { }
`;

describe("formatVae: constructs", () => {
  it("formats the example file into the canonical style", () => {
    expect(fmt(mnist)).toBe(mnistFormatted);
  });

  it("prints every model statement with single spaces", () => {
    const out = fmt(
      "model m{data x:binary[784]\nlet h=dense(x,[400],relu)\nprior p(z)=Normal(0,1)\nencoder q(z|x,y)=E(x)\ndecoder p(x|z)=D(z)\nkl(z)=mc(samples:16)\nkl=analytic\nbeta=warmup(0->1,epochs:10)}",
    );
    expect(out).toBe(`model m {
  data x : binary[784]
  let h = dense(x, [400], relu)
  prior p(z) = Normal(0, 1)
  encoder q(z | x, y) = E(x)
  decoder p(x | z) = D(z)
  kl(z) = mc(samples: 16)
  kl = analytic
  beta = warmup(0 -> 1, epochs: 10)
}
`);
  });

  it("prints expressions: calls, named args, lists, records, ranges, raw literals", () => {
    const out = fmt(
      'train t { a = f( ) b = g(1,k:[ ],r:{ }) c = { p:1e-3,q:[ .5,-10 ] } d = "a\\"b" e = -1->2. }',
    );
    expect(out).toBe(`train t {
  a = f()
  b = g(1, k: [], r: {})
  c = { p: 1e-3, q: [.5, -10] }
  d = "a\\"b"
  e = -1 -> 2.
}
`);
  });

  it("aligns consecutive settings and data/latent lines, runs broken by blank lines", () => {
    const out = fmt(
      "model m { data x : a[1]\nlatent zz : b[2]\n\ndata y : c[3] }\ntrain m { lr = 1\noptimizer = adam()\n\nbatch = 2 }",
    );
    expect(out).toBe(`model m {
  data   x : a[1]
  latent zz : b[2]

  data y : c[3]
}

train m {
  lr        = 1
  optimizer = adam()

  batch = 2
}
`);
  });

  it("separates top-level blocks by one blank line and collapses blank lines in blocks", () => {
    const out = fmt(
      "\n\nmodel a {\n\n  kl = analytic\n\n\n\n  beta = 1\n\n}\ntrain a { batch = 1 }\n\n\n\nmodel b {}",
    );
    expect(out).toBe(
      "model a {\n  kl = analytic\n\n  beta = 1\n}\n\ntrain a {\n  batch = 1\n}\n\nmodel b {}\n",
    );
  });

  it("returns an empty string for an empty file and ends other output with one newline", () => {
    expect(fmt("  \n\n")).toBe("");
    const out = fmt("model m { kl = analytic }\n\n\n\n");
    expect(out.endsWith("}\n")).toBe(true);
    expect(out.endsWith("\n\n")).toBe(false);
  });
});

describe("formatVae: comments", () => {
  it("keeps own-line comments on their own lines, indented to the block", () => {
    const out = fmt(
      "// top\nmodel m {\n      // about x\n  data x : a[1]\n    /* block\n   kept as is */\n  kl = analytic\n}",
    );
    expect(out).toBe(
      "// top\nmodel m {\n  // about x\n  data x : a[1]\n  /* block\n   kept as is */\n  kl = analytic\n}\n",
    );
  });

  it("keeps trailing comments at the end of their line, one space before", () => {
    const out = fmt(
      "model m { // head\n  data x : a[1]    // view\n  kl = analytic /* k */\n}   // end\ntrain m { batch = 1 /* b */ }",
    );
    expect(out).toBe(
      "model m { // head\n  data x : a[1] // view\n  kl = analytic /* k */\n} // end\n\ntrain m {\n  batch = 1 /* b */\n}\n",
    );
  });

  it("keeps comments before a closing brace and at the end of the file", () => {
    const out = fmt(
      "model m {\n  kl = analytic\n\n  // last words\n}\n// file end\n/* really */",
    );
    expect(out).toBe(
      "model m {\n  kl = analytic\n\n  // last words\n}\n\n// file end\n/* really */\n",
    );
  });

  it("moves comments inside an expression to the end of the declaration's line", () => {
    const out = fmt(
      "model m {\n  let h = dense(x, /* width */ [400],\n    relu) // act\n  beta = 1\n}",
    );
    expect(out).toBe(
      "model m {\n  let h = dense(x, [400], relu) /* width */ // act\n  beta = 1\n}\n",
    );
  });

  it("never lets a line comment swallow a following comment", () => {
    const input =
      "model m {\n  let h = f(x, // one\n    y /* two */) /* three */\n}\n";
    const out = fmt(input);
    expect(out).toBe(
      "model m {\n  let h = f(x, y) // one\n  /* two */ /* three */\n}\n",
    );
    expect(shape(out)).toEqual(shape(input));
  });

  it("keeps comments inside a block header and in an otherwise empty block", () => {
    const out = fmt("model /* h */ m { }\ntrain m {\n  // nothing yet\n}");
    expect(out).toBe("model m {} /* h */\n\ntrain m {\n  // nothing yet\n}\n");
  });

  it("trims trailing blanks from line comments", () => {
    expect(fmt("// note   \nmodel m {}")).toBe("// note\nmodel m {}\n");
  });
});

describe("formatVae: invariants", () => {
  const inputs = { mnist, mnistFormatted, messy };

  for (const [name, input] of Object.entries(inputs)) {
    it(`is idempotent on ${name}`, () => {
      const once = fmt(input);
      expect(fmt(once)).toBe(once);
    });

    it(`preserves the AST (ignoring spans) on ${name}`, () => {
      expect(shape(fmt(input))).toEqual(shape(input));
    });
  }

  it("formats the messy input into clean lines", () => {
    const out = fmt(messy);
    expect(out).toContain(
      "  latent z : real[20] /* after z */\n  let h = dense(x, [400, 200], relu)\n  let e = f()\n\n  prior p(z)",
    );
    expect(out).toContain("  // closing thoughts\n}\n\ntrain two_view {\n");
    expect(out).toContain(
      '  nested    = { a: [-1.5e+2, .5], b: { c: "s" } }\n}\n\nmodel empty {}\n',
    );
    expect(
      out.startsWith("// leading comment, indented\n\nmodel two_view {"),
    ).toBe(true);
    expect(out).not.toMatch(/[ \t]\n/);
  });

  it("keeps every comment, in order, on randomly spaced and commented inputs", () => {
    const tokens = vaeLexer.tokenize(mnist).tokens.map((t) => t.image);
    let seed = 12345;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * n);
    };
    const seps = [" ", "  ", "\n", "\n\n\n", "\t", " \n  "];
    const comments = ["// c{n}  ", "/* b{n} */", "/* m{n}\n   more */"];
    for (let round = 0; round < 60; round++) {
      let text = "";
      let n = 0;
      for (const image of tokens) {
        text += image + seps[random(seps.length)]!;
        if (random(8) === 0) {
          const c = comments[random(comments.length)]!.replace(
            "{n}",
            String(n++),
          );
          text += c + (c.startsWith("//") ? "\n" : seps[random(seps.length)]!);
        }
      }
      const once = fmt(text);
      expect(shape(once)).toEqual(shape(text));
      expect(fmt(once)).toBe(once);
    }
  });

  it("returns the parse diagnostics and no output on a syntax error", () => {
    const result = formatVae("model m {\n  data x : binary[784\n}\n");
    expect(result.formatted).toBeUndefined();
    expect(result.diagnostics.length).toBeGreaterThan(0);
    expect(result.diagnostics[0]!.code).toBe("E002");
    expect(result.diagnostics[0]!.span.start.line).toBe(3);
  });

  it("does not throw on lexer errors or unterminated comments", () => {
    expect(() => formatVae("model m { $ }")).not.toThrow();
    expect(formatVae("model m { $ }").formatted).toBeUndefined();
    expect(formatVae("model m { } /* open").diagnostics[0]!.code).toBe("E005");
  });
});

describe("prettier plugin", () => {
  it("formats through prettier exactly like formatVae", async () => {
    const out = await prettier.format(messy, {
      parser: "vae",
      plugins: [plugin],
    });
    expect(out).toBe(fmt(messy));
  });

  it("is picked for .vae files by file path", async () => {
    const out = await prettier.format(mnist, {
      filepath: "mnist.vae",
      plugins: [plugin],
    });
    expect(out).toBe(mnistFormatted);
  });

  it("throws a syntax error with line:col", async () => {
    await expect(
      prettier.format("model m {\n  data x : binary[784\n}\n", {
        parser: "vae",
        plugins: [plugin],
      }),
    ).rejects.toThrow(/expected .*\(3:1\)/);
  });
});
