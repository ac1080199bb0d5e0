// Checkers for `kl = analytic | mc(samples: S) | auto` (global or per latent) and the β schedule.
import type * as A from "../syntax/ast.js";
import type { IrBeta, IrComponent, IrKl } from "../../ir/types.js";
import { suggestHint } from "../diagnostics/suggest.js";
import { bindArgs, describe, readNumber, reportWrongCallee } from "./args.js";
import type { ModelContext } from "./context.js";
import { familyName } from "../../ir/families.js";
import { hasClosedFormKl } from "../../ir/kl-pairs.js";
import { betaSchedules, klMethods } from "../../ir/vocabulary.js";

interface KlRequest {
  method: "analytic" | "mc" | "auto";
  samples: number;
  span: A.KlStmt["span"];
}

export function readKlMethod(
  stmt: A.KlStmt,
  ctx: ModelContext,
): KlRequest | undefined {
  const v = stmt.value;
  const name =
    v.kind === "Name" ? v.name : v.kind === "Call" ? v.callee.name : undefined;
  if (
    name === undefined ||
    !(klMethods as readonly string[]).includes(name) ||
    (v.kind === "Call" && name !== "mc")
  ) {
    reportWrongCallee(
      v,
      "KL method",
      ["mc"],
      ["analytic", "auto", "mc"],
      "`mc(samples: 16)`",
      ctx,
    );
    return undefined;
  }
  if (v.kind === "Name")
    return { method: name as KlRequest["method"], samples: 1, span: stmt.span };
  const bound = bindArgs(v as A.Call, ["samples"], ["samples"], ctx);
  const s = bound.get("samples");
  const samples =
    s === undefined
      ? 1
      : readNumber(s, "the number of KL samples", { int: true, min: 1 }, ctx);
  return samples === undefined
    ? undefined
    : { method: "mc", samples, span: stmt.span };
}

/** One KL choice per latent: its own `kl(z) = ...`, else the model's `kl = ...`, else `auto`. */
export function resolveKl(
  stmts: A.KlStmt[],
  ctx: ModelContext,
  priors: Map<string, IrComponent>,
  encoders: Map<string, IrComponent>,
): IrKl[] {
  let global: KlRequest | undefined;
  const perLatent = new Map<string, KlRequest>();
  const seen = new Set<string>();
  for (const stmt of stmts) {
    const key = stmt.latent?.name ?? "";
    if (stmt.latent && ctx.invalid.has(stmt.latent.name)) continue;
    if (stmt.latent && !ctx.latents.has(stmt.latent.name)) {
      ctx.report(
        stmt.latent.span,
        "UnknownLatent",
        ["kl", stmt.latent.name],
        suggestHint(stmt.latent.name, [...ctx.latents.keys()]),
      );
      continue;
    }
    if (seen.has(key)) {
      ctx.report(stmt.span, "DuplicateComponent", [
        "kl",
        stmt.latent?.name ?? ctx.model.name.name,
      ]);
      continue;
    }
    seen.add(key);
    const req = readKlMethod(stmt, ctx);
    if (req === undefined) continue;
    if (stmt.latent) perLatent.set(stmt.latent.name, req);
    else global = req;
  }
  const out: IrKl[] = [];
  for (const latent of ctx.latents.values()) {
    const q = encoders.get(latent.name)?.dist;
    const p = priors.get(latent.name)?.dist;
    if (!q || !p) continue;
    const req = perLatent.get(latent.name) ??
      global ?? { method: "auto", samples: 1, span: latent.span };
    const closed = hasClosedFormKl(q.family, p.family);
    if (req.method === "analytic" && !closed) {
      ctx.report(
        req.span,
        "NoClosedFormKl",
        [familyName(q.family), familyName(p.family)],
        `use \`kl = auto\` (Monte Carlo when no closed form exists) or \`kl = mc(samples: 16)\``,
      );
      continue;
    }
    const method =
      req.method === "auto" ? (closed ? "analytic" : "mc") : req.method;
    out.push({
      latent: latent.name,
      requested: req.method,
      method,
      samples: req.samples,
      posterior: q.family,
      prior: p.family,
      span: req.span,
    });
  }
  return out;
}

export function readBeta(
  stmts: A.BetaStmt[],
  ctx: ModelContext,
): IrBeta | undefined {
  const [stmt, ...rest] = stmts;
  for (const extra of rest)
    ctx.report(extra.span, "DuplicateComponent", ["beta", ctx.model.name.name]);
  if (stmt === undefined)
    return { schedule: "constant", value: 1, span: ctx.model.name.span };
  const v = stmt.value;
  if (v.kind === "Number") {
    const value = readNumber(v, "β", { min: 0, exclusive: true }, ctx);
    return value === undefined
      ? undefined
      : { schedule: "constant", value, span: stmt.span };
  }
  if (
    v.kind !== "Call" ||
    !(betaSchedules as readonly string[]).includes(v.callee.name)
  ) {
    reportWrongCallee(
      v,
      "β schedule",
      betaSchedules,
      [],
      "`warmup(0 -> 1, epochs: 10)` or a positive number",
      ctx,
    );
    return undefined;
  }
  const fn = v.callee.name;
  const names =
    fn === "warmup" ? ["range", "epochs"] : ["range", "period", "ramp"];
  const bound = bindArgs(v, ["range"], names, ctx);
  const range = bound.get("range");
  if (range === undefined || range.kind !== "Range") {
    ctx.report(
      range?.span ?? v.callee.span,
      range ? "WrongArgumentKind" : "MissingArgument",
      range
        ? [`the range of \`${fn}\``, "a range like `0 -> 1`", describe(range)]
        : [fn, "range"],
      `e.g. \`${fn}(0 -> 1, ${fn === "warmup" ? "epochs: 10" : "period: 10"})\``,
    );
    return undefined;
  }
  const from = readNumber(range.from, "the starting β", { min: 0 }, ctx);
  const to = readNumber(
    range.to,
    "the final β",
    { min: 0, exclusive: true },
    ctx,
  );
  const countName = fn === "warmup" ? "epochs" : "period";
  const countExpr = bound.get(countName);
  if (countExpr === undefined) {
    ctx.report(v.callee.span, "MissingArgument", [fn, countName]);
    return undefined;
  }
  const count = readNumber(
    countExpr,
    `\`${countName}\` of \`${fn}\``,
    { int: true, min: 1 },
    ctx,
  );
  if (from === undefined || to === undefined || count === undefined)
    return undefined;
  if (fn === "warmup")
    return { schedule: "warmup", from, to, epochs: count, span: stmt.span };
  const rampExpr = bound.get("ramp");
  const ramp =
    rampExpr === undefined
      ? 0.5
      : readNumber(
          rampExpr,
          "`ramp` of `cyclical`",
          { min: 0, exclusive: true, max: 1 },
          ctx,
        );
  return ramp === undefined
    ? undefined
    : { schedule: "cyclical", from, to, period: count, ramp, span: stmt.span };
}
