// Canonical single-line text for `.vae` expressions, types, densities, declarations and settings.
import type {
  Arg,
  Density,
  Expr,
  ModelStmt,
  Setting,
  TypeExpr,
} from "../syntax/ast.js";

export function printExpr(e: Expr): string {
  switch (e.kind) {
    case "Number":
    case "String":
      return e.raw;
    case "Name":
      return e.name;
    case "Call":
      return `${e.callee.name}(${e.args.map(printArg).join(", ")})`;
    case "List":
      return `[${e.items.map(printExpr).join(", ")}]`;
    case "Record":
      if (e.fields.length === 0) return "{}";
      return `{ ${e.fields.map((f) => `${f.key.name}: ${printExpr(f.value)}`).join(", ")} }`;
    case "Range":
      return `${printExpr(e.from)} -> ${printExpr(e.to)}`;
  }
}

function printArg(a: Arg): string {
  const value = printExpr(a.value);
  return a.name ? `${a.name.name}: ${value}` : value;
}

export function printType(t: TypeExpr): string {
  return `${t.support.name}[${t.size.raw}]`;
}

export function printDensity(d: Density): string {
  const given = d.hasBar ? ` | ${d.given.map((g) => g.name).join(", ")}` : "";
  return `${d.symbol.name}(${d.target.name}${given})`;
}

/** The keyword a model statement starts with. */
export function stmtKeyword(s: ModelStmt): string {
  return s.kind.toLowerCase();
}

/**
 * One model statement. `keywordWidth` pads `data`/`latent` so that the names of
 * consecutive view and latent lines line up; it is ignored for other statements.
 */
export function printStmt(s: ModelStmt, keywordWidth = 0): string {
  switch (s.kind) {
    case "Data":
    case "Latent":
      return `${stmtKeyword(s).padEnd(keywordWidth)} ${s.name.name} : ${printType(s.type)}`;
    case "Let":
      return `let ${s.name.name} = ${printExpr(s.value)}`;
    case "Prior":
    case "Encoder":
    case "Decoder":
      return `${stmtKeyword(s)} ${printDensity(s.density)} = ${printExpr(s.value)}`;
    case "Kl":
      return `kl${s.latent ? `(${s.latent.name})` : ""} = ${printExpr(s.value)}`;
    case "Beta":
      return `beta = ${printExpr(s.value)}`;
  }
}

/** One `train` setting; `keyWidth` pads the key so consecutive `=` line up. */
export function printSetting(s: Setting, keyWidth = 0): string {
  return `${s.key.name.padEnd(keyWidth)} = ${printExpr(s.value)}`;
}
