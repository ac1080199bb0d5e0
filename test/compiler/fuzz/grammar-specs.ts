// Grammar-shaped random specs: every statement and setting of grammar/vae.ebnf with random
// expressions over the language's real names (and near misses), so inputs parse and reach deep
// into the checker. Biased towards the shapes the examples use, so some of them are valid.
import fc from "fast-check";

const list = (words: string): string[] => words.split(" ");

const names = list("x y z w h top bottom image label trunk zz");
const numbers = list(
  "0 1 2 10 20 784 0.5 1e-3 -1 1.5 1e308 1e400 9007199254740993 1048577",
);
const callees = list(
  "linear mlp dense concat Normal DiagNormal FullNormal GaussianMixture Bernoulli ContinuousBernoulli Categorical Laplace learned warmup cyclical mnist csv npy idx adam sgd rmsprop top_half bottom_half lineer",
);
const bare = list(
  "relu elu tanh learned analytic auto mc none static dynamic per_dim true",
);
const argNames = list(
  "loc scale logits probs width input components split lr period ramp epochs binarize path columns",
);

const pick = (xs: readonly string[]): fc.Arbitrary<string> =>
  fc.constantFrom(...xs);

const { expr } = fc.letrec<{ expr: string; arg: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    pick(numbers),
    pick(names),
    pick(bare),
    pick(['"train"', '"test"', '"data/x.csv"', '"C:\\\\data"', '"\\u00e9"']),
    fc
      .tuple(pick(callees), fc.array(tie("arg"), { maxLength: 4 }))
      .map(([f, args]) => `${f}(${args.join(", ")})`),
    fc.array(tie("expr"), { maxLength: 4 }).map((xs) => `[${xs.join(", ")}]`),
    fc
      .array(fc.tuple(pick(names), tie("expr")), { maxLength: 3 })
      .map((fs) => `{ ${fs.map(([k, v]) => `${k}: ${v}`).join(", ")} }`),
    fc.tuple(pick(numbers), pick(numbers)).map(([a, b]) => `${a} -> ${b}`),
  ),
  arg: fc.oneof(
    tie("expr"),
    fc.tuple(pick(argNames), tie("expr")).map(([k, v]) => `${k}: ${v}`),
  ),
}));

const network = fc.oneof(
  pick(names).map((n) => `mlp(${n}, [400], relu)`),
  pick(names).map((n) => `linear(${n})`),
  fc
    .tuple(pick(names), pick(names))
    .map(([a, b]) => `mlp(concat(${a}, ${b}), [64, 64], elu)`),
  expr,
);

const support = pick(["real", "binary", "categorical", "reel"]);
const typeExpr = fc.tuple(support, pick(numbers)).map(([s, n]) => `${s}[${n}]`);
const given = fc
  .array(pick(names), { minLength: 1, maxLength: 3 })
  .map((g) => g.join(", "));

const statement = fc.oneof(
  fc.tuple(pick(names), typeExpr).map(([n, t]) => `data ${n} : ${t}`),
  fc.tuple(pick(names), typeExpr).map(([n, t]) => `latent ${n} : ${t}`),
  fc.tuple(pick(names), network).map(([n, e]) => `let ${n} = ${e}`),
  fc
    .tuple(
      pick(names),
      fc.oneof(pick(["Normal(0, 1)", "GaussianMixture(components: 10)"]), expr),
    )
    .map(([n, d]) => `prior p(${n}) = ${d}`),
  fc
    .tuple(pick(names), given, network)
    .map(([n, g, e]) => `encoder q(${n} | ${g}) = DiagNormal(${e})`),
  fc
    .tuple(
      pick(names),
      given,
      pick([
        "Bernoulli(logits: ",
        "Normal(loc: ",
        "Categorical(logits: ",
        "Laplace(loc: ",
      ]),
      network,
    )
    .map(([n, g, d, e]) => `decoder p(${n} | ${g}) = ${d}${e})`),
  fc
    .tuple(fc.option(pick(names)), expr)
    .map(([n, e]) => `kl${n ? `(${n})` : ""} = ${e}`),
  expr.map((e) => `beta = ${e}`),
);

/** A skeleton that is valid as it stands, so a few random statements added to it often keep it valid. */
const skeleton = [
  "data x : binary[784]",
  "latent z : real[20]",
  "prior p(z) = Normal(0, 1)",
  "encoder q(z | x) = DiagNormal(mlp(x, [400], relu))",
  "decoder p(x | z) = Bernoulli(logits: mlp(z, [400], relu))",
];

const settingKey = pick([
  "data",
  "test",
  "optimizer",
  "batch",
  "epochs",
  "seed",
  "views",
  "samples",
  "lr",
  "epoch",
]);
const setting = fc.tuple(settingKey, expr).map(([k, v]) => `${k} = ${v}`);
const separator = pick(["\n  ", "\r\n  ", "\r  ", " ", "\n\n  ", " // c\n  "]);

const model = fc
  .tuple(
    pick(["m", "vae", "x"]),
    fc.boolean(),
    fc.array(statement, { maxLength: 6 }),
    separator,
  )
  .map(
    ([name, base, stmts, sep]) =>
      `model ${name} {${sep}${[...(base ? skeleton : []), ...stmts].join(sep)}\n}`,
  );

const train = fc
  .tuple(
    pick(["m", "vae", "nope"]),
    fc.array(setting, { maxLength: 5 }),
    separator,
  )
  .map(
    ([name, settings, sep]) => `train ${name} {${sep}${settings.join(sep)}\n}`,
  );

export const grammarSpec = fc
  .tuple(
    fc.array(model, { minLength: 1, maxLength: 2 }),
    fc.array(train, { maxLength: 2 }),
  )
  .map(([models, trains]) => [...models, ...trains].join("\n\n"));
