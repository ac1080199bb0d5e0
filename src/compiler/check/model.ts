// Checks one model (and its train block) and elaborates it into the IR.
// Statement checkers are registered by node kind; declarations run before components.
import type * as A from "../syntax/ast.js";
import type {
  IrComponent,
  IrModel,
  IrParam,
  ModelKind,
} from "../../ir/types.js";
import { IR_VERSION } from "../../ir/types.js";
import { ModelContext } from "./context.js";
import { checkData, checkLatent, checkLet } from "./declarations.js";
import {
  checkDecoder,
  checkEncoder,
  checkPrior,
  type Components,
} from "./components.js";
import { readBeta, resolveKl } from "./kl-beta.js";
import { NetworkGraph } from "./networks.js";
import { parameterList } from "./parameters.js";
import { resolveWidths } from "./widths.js";
import { checkTrain } from "./train.js";
import { ErrorBudget, ErrorLimitReached } from "../diagnostics/limit.js";

type Declaration = Extract<A.ModelStmt, { kind: "Data" | "Latent" | "Let" }>;
type Component = Extract<
  A.ModelStmt,
  { kind: "Prior" | "Encoder" | "Decoder" }
>;

const declarationCheckers: {
  [K in Declaration["kind"]]: (
    s: Extract<Declaration, { kind: K }>,
    ctx: ModelContext,
  ) => void;
} = {
  Data: checkData,
  Latent: checkLatent,
  Let: checkLet,
};

const componentCheckers: {
  [K in Component["kind"]]: (
    s: Extract<Component, { kind: K }>,
    ctx: ModelContext,
    g: NetworkGraph,
    out: Components,
  ) => void;
} = { Prior: checkPrior, Encoder: checkEncoder, Decoder: checkDecoder };

function isDeclaration(s: A.ModelStmt): s is Declaration {
  return s.kind in declarationCheckers;
}
function isComponent(s: A.ModelStmt): s is Component {
  return s.kind in componentCheckers;
}

/** vae: the encoders see only what the decoders explain; two_view: an encoder sees a view no
 * decoder explains (the deep variational information bottleneck); multi_view: several decoders. */
export function classify(
  encoders: IrComponent[],
  decoders: IrComponent[],
): ModelKind {
  const explained = new Set(decoders.map((d) => d.target));
  if (encoders.some((e) => e.given.some((v) => !explained.has(v))))
    return "two_view";
  return decoders.length > 1 ? "multi_view" : "vae";
}

/** The first `data` and `latent` statement of each name (the ones the checkers kept), by `Kind:name`. */
function firstDeclarations(
  m: A.ModelDecl,
): Map<string, A.DataStmt | A.LatentStmt> {
  const declared = new Map<string, A.DataStmt | A.LatentStmt>();
  for (const s of m.body) {
    if (s.kind !== "Data" && s.kind !== "Latent") continue;
    const key = `${s.kind}:${s.name.name}`;
    if (!declared.has(key)) declared.set(key, s);
  }
  return declared;
}

function checkStructure(
  ctx: ModelContext,
  c: Components,
  graph: NetworkGraph,
): void {
  const m = ctx.model;
  if (ctx.views.size === 0 && !hasKind(m, "Data"))
    ctx.report(
      m.name.span,
      "MissingComponent",
      [m.name.name, "data view"],
      "declare one: `data x : real[784]`",
    );
  if (ctx.latents.size === 0 && !hasKind(m, "Latent"))
    ctx.report(
      m.name.span,
      "MissingComponent",
      [m.name.name, "latent"],
      "declare one: `latent z : real[20]`",
    );
  if (!hasKind(m, "Decoder"))
    ctx.report(
      m.name.span,
      "MissingComponent",
      [m.name.name, "decoder"],
      "add `decoder p(x | z) = ...`",
    );
  const declared = firstDeclarations(m);
  for (const latent of ctx.latents.values()) {
    const nameSpan = declared.get(`Latent:${latent.name}`)!;
    if (!c.seen.has(`prior:${latent.name}`))
      ctx.report(
        nameSpan.name.span,
        "MissingPrior",
        [latent.name],
        `add \`prior p(${latent.name}) = Normal(0, 1)\``,
      );
    if (!c.seen.has(`encoder:${latent.name}`))
      ctx.report(
        nameSpan.name.span,
        "MissingEncoder",
        [latent.name],
        `add \`encoder q(${latent.name} | x) = DiagNormal(mlp(x, [400], relu))\``,
      );
  }
  // A view counts as used when anything refers to it, so a typo elsewhere (`q(z | imgae)` with a
  // network reading `image`) is reported once, where it is, and not echoed here.
  const used = referencedNames(m);
  for (const view of ctx.views.values()) {
    if (!used.has(view.name))
      ctx.report(
        declared.get(`Data:${view.name}`)!.span,
        "UnusedView",
        [view.name],
        `condition an encoder on it (\`q(z | ${view.name})\`), explain it with a decoder, or remove it`,
      );
  }
  for (const stmt of ctx.lets.values()) {
    if (!graph.usedLets.has(stmt.name.name)) {
      graph.network(
        { kind: "Name", name: stmt.name.name, span: stmt.name.span },
        undefined,
      );
      graph.usedLets.delete(stmt.name.name);
      ctx.report(stmt.name.span, "UnusedValue", [stmt.name.name]);
    }
  }
}

/** Every name an expression or a density of the model mentions. */
function referencedNames(m: A.ModelDecl): Set<string> {
  const out = new Set<string>();
  const visit = (e: A.Expr): void => {
    if (e.kind === "Name") out.add(e.name);
    else if (e.kind === "Call") e.args.forEach((a) => visit(a.value));
    else if (e.kind === "List") e.items.forEach(visit);
    else if (e.kind === "Record") e.fields.forEach((f) => visit(f.value));
    else if (e.kind === "Range") [e.from, e.to].forEach(visit);
  };
  for (const s of m.body) {
    if (s.kind === "Prior" || s.kind === "Encoder" || s.kind === "Decoder") {
      [s.density.target, ...s.density.given].forEach((i) => out.add(i.name));
      visit(s.value);
    } else if (s.kind === "Let" || s.kind === "Kl" || s.kind === "Beta")
      visit(s.value);
  }
  return out;
}

function hasKind(m: A.ModelDecl, kind: A.ModelStmt["kind"]): boolean {
  return m.body.some((s) => s.kind === kind);
}

function renameParams(
  components: IrComponent[],
  rename: Map<string, string>,
): void {
  for (const c of components) {
    for (const [k, p] of Object.entries(c.dist.params)) {
      if (p.kind === "net")
        c.dist.params[k] = { ...p, node: rename.get(p.node)! } as IrParam;
    }
  }
}

/**
 * Checks one model. Errors count against `budget`, the file's: once it is spent the check stops
 * (ErrorLimitReached, caught here) and the model has no IR.
 */
export function checkModel(
  model: A.ModelDecl,
  train: A.TrainDecl | undefined,
  file: string,
  budget?: ErrorBudget,
): { ir?: IrModel; ctx: ModelContext } {
  const ctx = new ModelContext(model, file, budget);
  try {
    return elaborate(model, train, file, ctx);
  } catch (e) {
    if (!(e instanceof ErrorLimitReached)) throw e;
    ctx.withhold(["UnusedValue"]);
    return { ctx };
  }
}

function elaborate(
  model: A.ModelDecl,
  train: A.TrainDecl | undefined,
  file: string,
  ctx: ModelContext,
): { ir?: IrModel; ctx: ModelContext } {
  for (const s of model.body)
    if (isDeclaration(s))
      (
        declarationCheckers[s.kind] as (s: Declaration, c: ModelContext) => void
      )(s, ctx);
  const graph = new NetworkGraph(ctx);
  const c: Components = {
    priors: new Map(),
    encoders: new Map(),
    decoders: new Map(),
    seen: new Set(),
    tensors: new Map(),
  };
  for (const s of model.body)
    if (isComponent(s))
      (
        componentCheckers[s.kind] as (
          s: Component,
          c: ModelContext,
          g: NetworkGraph,
          o: Components,
        ) => void
      )(s, ctx, graph, c);
  checkStructure(ctx, c, graph);
  const kl = resolveKl(
    model.body.filter((s): s is A.KlStmt => s.kind === "Kl"),
    ctx,
    c.priors,
    c.encoders,
  );
  const beta = readBeta(
    model.body.filter((s): s is A.BetaStmt => s.kind === "Beta"),
    ctx,
  );
  const components = [
    ...c.priors.values(),
    ...c.encoders.values(),
    ...c.decoders.values(),
  ];
  const roots = components.flatMap((comp) =>
    Object.values(comp.dist.params).flatMap((p) =>
      p.kind === "net" ? [p.node] : [],
    ),
  );
  const { nodes, rename } = resolveWidths(graph, ctx, roots);
  renameParams(components, rename);
  const trainIr = train
    ? checkTrain(train, ctx.views, model.name.name, ctx, ctx.invalid)
    : null;
  if (
    ctx.diagnostics.some((d) => d.severity === "error") ||
    beta === undefined ||
    trainIr === undefined
  ) {
    // "unused" warnings beside errors are usually their echo (a view whose encoder failed).
    ctx.withhold(["UnusedValue"]);
    return { ctx };
  }
  const priors = [...c.priors.values()];
  const encoders = [...c.encoders.values()];
  const decoders = [...c.decoders.values()];
  const parameters = parameterList(
    nodes,
    [...priors, ...encoders, ...decoders],
    c.tensors,
  );
  const ir: IrModel = {
    irVersion: IR_VERSION,
    model: model.name.name,
    file,
    kind: classify(encoders, decoders),
    views: [...ctx.views.values()],
    latents: [...ctx.latents.values()],
    nodes,
    parameters,
    priors,
    encoders,
    decoders,
    kl,
    beta,
    train: trainIr,
    span: model.span,
  };
  return { ir, ctx };
}
