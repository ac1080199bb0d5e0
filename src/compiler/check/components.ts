// Checkers for `prior p(z)`, `encoder q(z | x)` and `decoder p(x | z)`: the density notation,
// what each conditions on, and the distribution each declares.
import type * as A from "../syntax/ast.js";
import type { IrComponent, IrTensor } from "../../ir/types.js";
import { suggestHint } from "../diagnostics/suggest.js";
import type { ModelContext } from "./context.js";
import { declaredType } from "./declarations.js";
import { bindDistribution, type Target } from "./dists.js";
import type { Role } from "../../ir/families.js";
import type { NetworkGraph } from "./networks.js";

export interface Components {
  priors: Map<string, IrComponent>;
  encoders: Map<string, IrComponent>;
  decoders: Map<string, IrComponent>;
  /** Every statement seen for a target, valid or not (so a broken encoder is not also "missing"). */
  seen: Set<string>;
  /** The learned tensors the components' parameters name, by name. */
  tensors: Map<string, IrTensor>;
}

function densityText(d: A.Density): string {
  return `${d.symbol.name}(${d.target.name}${d.hasBar ? ` | ${d.given.map((g) => g.name).join(", ")}` : ""})`;
}

function checkSymbol(
  d: A.Density,
  what: string,
  expected: "p" | "q",
  ctx: ModelContext,
): void {
  if (d.symbol.name !== expected)
    ctx.report(
      d.symbol.span,
      "WrongDensitySymbol",
      [what, expected, d.symbol.name],
      `write \`${expected}(${d.target.name}${d.hasBar ? " | ..." : ""})\``,
    );
}

function latentTarget(d: A.Density, what: string, ctx: ModelContext): boolean {
  if (ctx.latents.has(d.target.name)) return true;
  if (ctx.invalid.has(d.target.name)) return false;
  const isView = ctx.views.has(d.target.name);
  ctx.report(
    d.target.span,
    "UnknownLatent",
    [what, d.target.name],
    isView
      ? `\`${d.target.name}\` is a data view; ${what}s are over latents`
      : suggestHint(d.target.name, [...ctx.latents.keys()]),
  );
  return false;
}

function once(
  seen: Set<string>,
  key: string,
  what: string,
  target: A.Ident,
  ctx: ModelContext,
): boolean {
  if (seen.has(key)) {
    ctx.report(target.span, "DuplicateComponent", [what, target.name]);
    return false;
  }
  seen.add(key);
  return true;
}

export function checkPrior(
  stmt: A.PriorStmt,
  ctx: ModelContext,
  graph: NetworkGraph,
  out: Components,
): void {
  const d = stmt.density;
  checkSymbol(d, "a prior", "p", ctx);
  if (d.hasBar)
    ctx.report(
      d.span,
      "PriorConditioning",
      [d.target.name],
      `write \`p(${d.target.name})\``,
    );
  if (
    !latentTarget(d, "prior", ctx) ||
    !once(out.seen, `prior:${d.target.name}`, "prior", d.target, ctx)
  )
    return;
  const latent = ctx.latents.get(d.target.name)!;
  const target: Target = {
    label: `the prior ${densityText(d)}`,
    name: latent.name,
    width: latent.width,
  };
  bindComponent(stmt, "prior", target, [], out, graph, ctx);
}

export function checkEncoder(
  stmt: A.EncoderStmt,
  ctx: ModelContext,
  graph: NetworkGraph,
  out: Components,
): void {
  const d = stmt.density;
  checkSymbol(d, "an encoder", "q", ctx);
  if (
    !latentTarget(d, "encoder", ctx) ||
    !once(out.seen, `encoder:${d.target.name}`, "encoder", d.target, ctx)
  )
    return;
  if (d.given.length === 0) {
    ctx.report(
      d.span,
      "EmptyList",
      [`the views encoder ${densityText(d)} conditions on`],
      `write \`q(${d.target.name} | x)\` with a data view`,
    );
    return;
  }
  let ok = true;
  for (const g of d.given) {
    if (g.name === d.target.name) {
      ctx.report(g.span, "EncoderConditionsOnOwnLatent", [g.name]);
      ok = false;
    } else if (ctx.invalid.has(g.name)) {
      ok = false;
    } else if (!ctx.views.has(g.name)) {
      ctx.report(
        g.span,
        "EncoderUnknownView",
        [g.name],
        ctx.latents.has(g.name)
          ? "encoders condition on data views, not latents"
          : suggestHint(g.name, [...ctx.views.keys()]),
      );
      ok = false;
    }
  }
  if (!ok) return;
  const latent = ctx.latents.get(d.target.name)!;
  const target: Target = {
    label: `the encoder ${densityText(d)}`,
    name: latent.name,
    width: latent.width,
  };
  bindComponent(stmt, "encoder", target, d.given, out, graph, ctx);
}

export function checkDecoder(
  stmt: A.DecoderStmt,
  ctx: ModelContext,
  graph: NetworkGraph,
  out: Components,
): void {
  const d = stmt.density;
  checkSymbol(d, "a decoder", "p", ctx);
  const view = ctx.views.get(d.target.name);
  if (ctx.invalid.has(d.target.name)) return;
  if (view === undefined) {
    const hint = ctx.latents.has(d.target.name)
      ? `\`${d.target.name}\` is a latent; decoders explain data views`
      : suggestHint(d.target.name, [...ctx.views.keys()]);
    ctx.report(d.target.span, "DecoderUnknownView", [d.target.name], hint);
    return;
  }
  if (!once(out.seen, `decoder:${view.name}`, "decoder", d.target, ctx)) return;
  if (d.given.length === 0) {
    ctx.report(
      d.span,
      "EmptyList",
      [`the latents decoder ${densityText(d)} conditions on`],
      `write \`p(${view.name} | z)\` with a latent`,
    );
    return;
  }
  const bad = d.given.filter((g) => !ctx.latents.has(g.name));
  for (const g of bad.filter((b) => !ctx.invalid.has(b.name)))
    ctx.report(
      g.span,
      "DecoderConditioning",
      [view.name, g.name],
      ctx.views.has(g.name)
        ? "decoders read latents; to condition on a view, encode it"
        : suggestHint(g.name, [...ctx.latents.keys()]),
    );
  if (bad.length > 0) return;
  const target: Target = {
    label: `the decoder ${densityText(d)}`,
    name: view.name,
    width: view.categories ?? view.width,
    support: view.support,
    declared: declaredType(ctx, view.name),
  };
  bindComponent(stmt, "likelihood", target, d.given, out, graph, ctx);
}

/** Binds a component's distribution, its networks reading only what it conditions on. */
function bindComponent(
  stmt: A.PriorStmt | A.EncoderStmt | A.DecoderStmt,
  role: Role,
  target: Target,
  conditioning: A.Ident[],
  out: Components,
  graph: NetworkGraph,
  ctx: ModelContext,
): void {
  const into =
    role === "prior"
      ? out.priors
      : role === "encoder"
        ? out.encoders
        : out.decoders;
  const given = conditioning.map((g) => g.name);
  const scope = { allowed: new Set(given), label: target.label };
  const bound = bindDistribution(stmt.value, role, target, scope, graph, ctx);
  if (bound === undefined) return;
  into.set(target.name, {
    target: target.name,
    size: target.width,
    given,
    dist: bound.dist,
    span: stmt.span,
  });
  for (const t of bound.tensors) out.tensors.set(t.name, t);
}
