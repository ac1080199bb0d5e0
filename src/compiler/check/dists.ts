// Binds a distribution call (`DiagNormal(mlp(x, [400], relu))`) to its registry signature for a role:
// checks role, support, parameters and options, and demands head widths from the network graph.
import type * as A from "../syntax/ast.js";
import type { IrDist, IrTensor, Support } from "../../ir/types.js";
import { suggestHint } from "../diagnostics/suggest.js";
import { bindArgs, describe, readEnum, readNumber } from "./args.js";
import type { ModelContext } from "./context.js";
import {
  distributions,
  distributionNames,
  findDistribution,
  type DistSpec,
  type ParamSpec,
  type Role,
} from "../../ir/families.js";
import type { NetworkGraph, Scope } from "./networks.js";
import { finishParams, type BoundParam } from "./parameters.js";

export interface Target {
  /** `the encoder q(z | x)`: used in messages. */
  label: string;
  /** Name of the latent or view the distribution is over. */
  name: string;
  /** d: the width parameters are sized by (classes for a categorical view). */
  width: number;
  support?: Support;
  /** `binary[784]`: how the view was declared, for messages. */
  declared?: string;
}

const roleNoun: Record<Role, string> = {
  prior: "a prior",
  encoder: "an encoder (variational family)",
  likelihood: "a likelihood (decoder)",
};

/** A bound distribution and the learned tensors its parameters name. */
export interface BoundDist {
  dist: IrDist;
  tensors: IrTensor[];
}

export function bindDistribution(
  e: A.Expr,
  role: Role,
  target: Target,
  scope: Scope,
  graph: NetworkGraph,
  ctx: ModelContext,
): BoundDist | undefined {
  if (e.kind !== "Call") {
    ctx.report(
      e.span,
      "WrongValueKind",
      [`a distribution for ${target.label}`, describe(e)],
      `e.g. ${example(role)}`,
    );
    return undefined;
  }
  const spec = findDistribution(e.callee.name);
  if (spec === undefined) {
    ctx.report(
      e.callee.span,
      "UnknownDistribution",
      [e.callee.name],
      suggestHint(e.callee.name, distributionNames),
    );
    return undefined;
  }
  if (!spec.roles.includes(role)) {
    const usable = distributions
      .filter((d) => d.roles.includes(role))
      .map((d) => `\`${d.name}\``);
    ctx.report(
      e.callee.span,
      "DistributionRole",
      [spec.name, roleNoun[role]],
      spec.hint ?? `${roleNoun[role]} can be ${usable.join(", ")}`,
    );
    return undefined;
  }
  if (
    role === "likelihood" &&
    target.support &&
    !spec.supports!.includes(target.support)
  ) {
    const fitting = distributions
      .filter(
        (d) =>
          d.roles.includes("likelihood") &&
          d.supports!.includes(target.support!),
      )
      .map((d) => `\`${d.name}\``);
    ctx.report(
      e.callee.span,
      "SupportMismatch",
      [
        spec.name,
        spec.supports!.join(" or "),
        target.name,
        target.declared ?? target.support,
      ],
      `${target.support} data takes ${fitting.join(", ")}; or declare \`${target.name} : ${spec.supports![0]}[...]\``,
    );
    return undefined;
  }
  const known = [
    ...spec.params.map((p) => p.name),
    ...spec.options.map((o) => o.name),
  ];
  const reported = ctx.diagnostics.length;
  const bound = bindArgs(e, spec.positional, known, ctx);
  // After `Bernoulli(probs: ...)` (an unknown argument), "missing `logits`" would only repeat it.
  const misnamed = ctx.reportedSince(reported, "UnknownArgument");
  const params: Record<string, BoundParam> = {};
  let ok = true;

  const fusedExpr = fusedNetwork(e, spec, bound, ctx);
  if (fusedExpr !== undefined) {
    const node = graph.network(fusedExpr, scope);
    if (node === undefined) return undefined;
    let offset = 0;
    for (const name of spec.fused!) {
      const width = spec.params
        .find((p) => p.name === name)!
        .width(target.width);
      params[name] = { kind: "net", node, offset, width };
      offset += width;
    }
    graph.demand(
      node,
      offset,
      `the ${spec.fused!.join(" and ")} head of \`${spec.name}\` over \`${target.name}\``,
      fusedExpr.span,
    );
  } else {
    for (const param of spec.params) {
      const arg = bound.get(param.name);
      if (arg === undefined) {
        if (!misnamed)
          ctx.report(
            e.callee.span,
            "MissingArgument",
            [spec.name, param.name],
            `\`${spec.name}\` takes (${spec.positional.join(", ")})`,
          );
        ok = false;
        continue;
      }
      const p = bindParam(arg, param, spec, role, target, scope, graph, ctx);
      if (p === undefined) ok = false;
      else params[param.name] = p;
    }
  }

  const options: Record<string, string | number | number[]> = {};
  for (const opt of spec.options) {
    const arg = bound.get(opt.name);
    const what = `\`${opt.name}\` of \`${spec.name}\``;
    if (arg === undefined) {
      if (opt.required) {
        ctx.report(e.callee.span, "MissingArgument", [spec.name, opt.name]);
        ok = false;
      } else if (opt.default !== undefined) options[opt.name] = opt.default;
      continue;
    }
    const v =
      opt.kind === "enum"
        ? readEnum(arg, what, opt.values!, ctx)
        : opt.kind === "int"
          ? readNumber(arg, what, { int: true, min: opt.min ?? 1 }, ctx)
          : readInterval(arg, what, ctx);
    if (v === undefined) ok = false;
    else options[opt.name] = v;
  }
  // How a scale head is read only matters when the scale is a network or learned.
  if (params["scale"]?.kind === "const") delete options["scale_head"];
  if (!ok) return undefined;
  const finished = finishParams(spec, role, target, params, options);
  return {
    dist: {
      family: spec.family,
      name: spec.name,
      params: finished.params,
      options,
      span: e.span,
    },
    tensors: finished.tensors,
  };
}

/** `DiagNormal(mlp(x, [400], relu))`: one positional network and no named parameters. */
function fusedNetwork(
  call: A.Call,
  spec: DistSpec,
  bound: Map<string, A.Expr>,
  ctx: ModelContext,
): A.Expr | undefined {
  // Only a positional first argument is fused: `Normal(loc: net)` alone is a missing `scale`.
  if (spec.fused === undefined || call.args[0]?.name !== undefined)
    return undefined;
  const first = bound.get(spec.positional[0]!);
  const onlyFirst = spec.params.every(
    (p) => p.name === spec.positional[0] || !bound.has(p.name),
  );
  if (first === undefined || !onlyFirst || isLearned(first, ctx))
    return undefined;
  return first.kind === "Name" || first.kind === "Call" ? first : undefined;
}

/** `learned` or `learned(...)`, unless the model declares a value of that name. */
function isLearned(e: A.Expr, ctx: ModelContext): boolean {
  return (
    (e.kind === "Name" && e.name === "learned" && !ctx.isDeclared("learned")) ||
    (e.kind === "Call" && e.callee.name === "learned")
  );
}

function bindParam(
  arg: A.Expr,
  param: ParamSpec,
  spec: DistSpec,
  role: Role,
  target: Target,
  scope: Scope,
  graph: NetworkGraph,
  ctx: ModelContext,
): BoundParam | undefined {
  const kinds = param.kinds[role] ?? [];
  const what = `\`${param.name}\` of \`${spec.name}\``;
  const kindsText = kinds
    .map((k) =>
      k === "net"
        ? "a network"
        : k === "const"
          ? param.positive
            ? "a positive number"
            : "a number"
          : "`learned`",
    )
    .join(" or ");
  if (arg.kind === "Number") {
    if (!kinds.includes("const")) return wrongKind();
    const v = readNumber(
      arg,
      what,
      param.positive ? { min: 0, exclusive: true } : {},
      ctx,
    );
    return v === undefined ? undefined : { kind: "const", value: v };
  }
  if (isLearned(arg, ctx)) {
    if (!kinds.includes("learned")) return wrongKind();
    return readLearned(arg, param, role, what, ctx);
  }
  if (arg.kind === "Name" || arg.kind === "Call") {
    if (!kinds.includes("net")) return wrongKind();
    const node = graph.network(arg, scope);
    if (node === undefined) return undefined;
    const width = param.width(target.width);
    graph.demand(node, width, `${what} over \`${target.name}\``, arg.span);
    return { kind: "net", node, offset: 0, width };
  }
  return wrongKind();

  function wrongKind(): undefined {
    ctx.report(arg.span, "WrongArgumentKind", [
      `${what} in ${roleNoun[role]}`,
      kindsText || "nothing",
      describe(arg),
    ]);
    return undefined;
  }
}

function readLearned(
  arg: A.Expr,
  param: ParamSpec,
  role: Role,
  what: string,
  ctx: ModelContext,
): BoundParam | undefined {
  let shape = param.learnedShape?.[role] ?? "per_dim";
  let init = param.positive ? 1 : 0;
  if (arg.kind === "Call") {
    const bound = bindArgs(arg, ["shape", "init"], ["shape", "init"], ctx);
    const s = bound.get("shape");
    const i = bound.get("init");
    if (s !== undefined) {
      const v = readEnum(s, `the shape of ${what}`, ["scalar", "per_dim"], ctx);
      if (v === undefined) return undefined;
      shape = v as "scalar" | "per_dim";
    }
    if (i !== undefined) {
      const v = readNumber(
        i,
        `the initial value of ${what}`,
        param.positive ? { min: 0, exclusive: true } : {},
        ctx,
      );
      if (v === undefined) return undefined;
      init = v;
    }
  }
  return { kind: "learned", shape, init };
}

function readInterval(
  arg: A.Expr,
  what: string,
  ctx: ModelContext,
): number[] | undefined {
  if (arg.kind !== "List" || arg.items.length !== 2) {
    ctx.report(arg.span, "WrongArgumentKind", [
      what,
      "an interval [low, high]",
      describe(arg),
    ]);
    return undefined;
  }
  const [lo, hi] = arg.items.map((x) => readNumber(x, what, {}, ctx));
  if (lo === undefined || hi === undefined) return undefined;
  if (!(lo < hi)) {
    ctx.report(arg.span, "OutOfRange", [
      what,
      "an interval with low < high",
      `[${lo}, ${hi}]`,
    ]);
    return undefined;
  }
  return [lo, hi];
}

function example(role: Role): string {
  if (role === "prior") return "`Normal(0, 1)`";
  if (role === "encoder") return "`DiagNormal(mlp(x, [400], relu))`";
  return "`Bernoulli(logits: mlp(z, [400], relu))`";
}
