// Checkers for declarations (`data`, `latent`, `let`): names, supports and sizes.
import type * as A from "../syntax/ast.js";
import { suggestHint } from "../diagnostics/suggest.js";
import type { Support } from "../../ir/types.js";
import { MAX_WIDTH } from "../limits.js";
import { readNumber } from "./args.js";
import type { ModelContext } from "./context.js";

const supports: Support[] = ["real", "binary", "categorical"];

function declare(name: A.Ident, ctx: ModelContext): boolean {
  if (ctx.isDeclared(name.name)) {
    ctx.report(name.span, "DuplicateDeclaration", [name.name]);
    return false;
  }
  return true;
}

function readType(
  type: A.TypeExpr,
  ctx: ModelContext,
): { support: Support; size: number } | undefined {
  const support = type.support.name as Support;
  if (!supports.includes(support)) {
    ctx.report(
      type.support.span,
      "UnknownSupport",
      [type.support.name],
      suggestHint(type.support.name, supports),
    );
    return undefined;
  }
  const what =
    support === "categorical" ? "the number of categories" : "a width";
  const size = readNumber(
    type.size,
    what,
    { int: true, min: support === "categorical" ? 2 : 1, max: MAX_WIDTH },
    ctx,
  );
  return size === undefined ? undefined : { support, size };
}

export function checkData(stmt: A.DataStmt, ctx: ModelContext): void {
  const type = readType(stmt.type, ctx);
  if (!declare(stmt.name, ctx)) return;
  if (type === undefined) {
    ctx.invalid.add(stmt.name.name);
    return;
  }
  const categorical = type.support === "categorical";
  ctx.views.set(stmt.name.name, {
    name: stmt.name.name,
    support: type.support,
    width: categorical ? 1 : type.size,
    ...(categorical ? { categories: type.size } : {}),
    span: stmt.span,
  });
}

export function checkLatent(stmt: A.LatentStmt, ctx: ModelContext): void {
  const type = readType(stmt.type, ctx);
  if (type && type.support !== "real") {
    ctx.report(
      stmt.type.span,
      "LatentSupport",
      [stmt.name.name, `${type.support}[${type.size}]`],
      `write \`latent ${stmt.name.name} : real[${type.size}]\``,
    );
  }
  if (!declare(stmt.name, ctx)) return;
  if (type === undefined || type.support !== "real") {
    ctx.invalid.add(stmt.name.name);
    return;
  }
  ctx.latents.set(stmt.name.name, {
    name: stmt.name.name,
    width: type.size,
    span: stmt.span,
  });
}

export function checkLet(stmt: A.LetStmt, ctx: ModelContext): void {
  if (declare(stmt.name, ctx)) ctx.lets.set(stmt.name.name, stmt);
}

/** `binary[784]`, `categorical[10]`: how a view was declared. */
export function declaredType(ctx: ModelContext, view: string): string {
  const v = ctx.views.get(view)!;
  return `${v.support}[${v.categories ?? v.width}]`;
}
