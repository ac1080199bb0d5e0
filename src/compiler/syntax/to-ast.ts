// The CST visitor: turns chevrotain's concrete syntax tree into the typed AST with spans.
// Only called on a CST without syntax errors, so every required child is present.
import type { CstElement, CstNode, IToken } from "chevrotain";
import type { Span } from "../span.js";
import { vaeParser } from "./grammar.js";
import type * as A from "./ast.js";
import { decodeString } from "./strings.js";

type Children = Record<string, CstElement[] | undefined>;

/** Tokens and CST node locations share these fields; chevrotain's ends are inclusive. */
interface Located {
  startOffset: number;
  startLine?: number | undefined;
  startColumn?: number | undefined;
  endOffset?: number | undefined;
  endLine?: number | undefined;
  endColumn?: number | undefined;
}

function locationSpan(loc: Located): Span {
  return {
    start: {
      offset: loc.startOffset,
      line: loc.startLine ?? 1,
      col: loc.startColumn ?? 1,
    },
    end: {
      offset: (loc.endOffset ?? loc.startOffset) + 1,
      line: loc.endLine ?? 1,
      col: (loc.endColumn ?? 1) + 1,
    },
  };
}

const tokenSpan = (t: IToken): Span => locationSpan(t);
const nodeSpan = (n: CstNode): Span => locationSpan(n.location!);

function tokens(c: Children, key: string): IToken[] {
  return (c[key] ?? []) as IToken[];
}
function token(c: Children, key: string, i = 0): IToken {
  return tokens(c, key)[i]!;
}
function nodes(c: Children, key: string): CstNode[] {
  return (c[key] ?? []) as CstNode[];
}
function node(c: Children, key: string, i = 0): CstNode {
  return nodes(c, key)[i]!;
}
function ident(t: IToken): A.Ident {
  return { name: t.image, span: tokenSpan(t) };
}

const BaseVisitor = vaeParser.getBaseCstVisitorConstructor();

class AstBuilder extends BaseVisitor {
  constructor() {
    super();
    this.validateVisitor();
  }

  /** Visits a node, handing the node itself to the rule method so it can take its span. */
  private v<R>(n: CstNode): R {
    return this.visit(n, n) as R;
  }

  program(c: Children): A.TopLevel[] {
    return [...nodes(c, "modelDecl"), ...nodes(c, "trainDecl")]
      .sort((a, b) => a.location!.startOffset - b.location!.startOffset)
      .map((n) => this.v(n) as A.TopLevel);
  }

  modelDecl(c: Children, n: CstNode): A.ModelDecl {
    const body = nodes(c, "modelStatement").map(
      (s) => this.v(s) as A.ModelStmt,
    );
    return {
      kind: "Model",
      name: ident(token(c, "Identifier")),
      body,
      span: nodeSpan(n),
    };
  }

  modelStatement(c: Children): A.ModelStmt {
    // Its one child, whichever statement it is (no arrays built: a file may have 100 000).
    let only: CstNode | undefined;
    for (const key in c) {
      only = c[key]![0] as CstNode;
      break;
    }
    return this.v(only!) as A.ModelStmt;
  }

  dataDecl(c: Children, n: CstNode): A.DataStmt {
    return {
      kind: "Data",
      name: ident(token(c, "Identifier")),
      type: this.v(node(c, "typeExpr")),
      span: nodeSpan(n),
    };
  }

  latentDecl(c: Children, n: CstNode): A.LatentStmt {
    return {
      kind: "Latent",
      name: ident(token(c, "Identifier")),
      type: this.v(node(c, "typeExpr")),
      span: nodeSpan(n),
    };
  }

  typeExpr(c: Children, n: CstNode): A.TypeExpr {
    return {
      support: ident(token(c, "Identifier")),
      size: numberLit(token(c, "NumberLiteral")),
      span: nodeSpan(n),
    };
  }

  letDecl(c: Children, n: CstNode): A.LetStmt {
    return {
      kind: "Let",
      name: ident(token(c, "Identifier")),
      value: this.v(node(c, "expression")),
      span: nodeSpan(n),
    };
  }

  priorDecl(c: Children, n: CstNode): A.PriorStmt {
    return this.component("Prior", c, n);
  }
  encoderDecl(c: Children, n: CstNode): A.EncoderStmt {
    return this.component("Encoder", c, n);
  }
  decoderDecl(c: Children, n: CstNode): A.DecoderStmt {
    return this.component("Decoder", c, n);
  }

  private component<K extends "Prior" | "Encoder" | "Decoder">(
    kind: K,
    c: Children,
    n: CstNode,
  ) {
    return {
      kind,
      density: this.v(node(c, "density")) as A.Density,
      value: this.v(node(c, "expression")) as A.Expr,
      span: nodeSpan(n),
    };
  }

  density(c: Children, n: CstNode): A.Density {
    return {
      symbol: ident(token(c, "symbol")),
      target: ident(token(c, "target")),
      given: tokens(c, "given").map(ident),
      hasBar: tokens(c, "Pipe").length > 0,
      span: nodeSpan(n),
    };
  }

  klDecl(c: Children, n: CstNode): A.KlStmt {
    const stmt: A.KlStmt = {
      kind: "Kl",
      value: this.v(node(c, "expression")),
      span: nodeSpan(n),
    };
    const latent = tokens(c, "Identifier")[0];
    if (latent) stmt.latent = ident(latent);
    return stmt;
  }

  betaDecl(c: Children, n: CstNode): A.BetaStmt {
    return {
      kind: "Beta",
      value: this.v(node(c, "expression")),
      span: nodeSpan(n),
    };
  }

  trainDecl(c: Children, n: CstNode): A.TrainDecl {
    const settings = nodes(c, "setting").map((s) => this.v(s) as A.Setting);
    return {
      kind: "Train",
      model: ident(token(c, "Identifier")),
      settings,
      span: nodeSpan(n),
    };
  }

  setting(c: Children, n: CstNode): A.Setting {
    const key = tokens(c, "Identifier")[0] ?? token(c, "Data");
    return {
      key: ident(key),
      value: this.v(node(c, "expression")),
      span: nodeSpan(n),
    };
  }

  expression(c: Children, n: CstNode): A.Expr {
    const [from, to] = nodes(c, "atom").map((a) => this.v(a) as A.Expr);
    if (to === undefined) return from!;
    return { kind: "Range", from: from!, to, span: nodeSpan(n) };
  }

  atom(c: Children): A.Expr {
    const num = tokens(c, "NumberLiteral")[0];
    if (num) return numberLit(num);
    const str = tokens(c, "StringLiteral")[0];
    if (str)
      return {
        kind: "String",
        value: decodeString(str.image).value,
        raw: str.image,
        span: tokenSpan(str),
      };
    const sub =
      nodes(c, "callOrName")[0] ?? nodes(c, "list")[0] ?? node(c, "record");
    return this.v(sub) as A.Expr;
  }

  callOrName(c: Children, n: CstNode): A.Expr {
    const name = token(c, "Identifier");
    if (tokens(c, "LParen").length === 0)
      return { kind: "Name", name: name.image, span: tokenSpan(name) };
    const args = nodes(c, "argument").map((a) => this.v(a) as A.Arg);
    return { kind: "Call", callee: ident(name), args, span: nodeSpan(n) };
  }

  argument(c: Children, n: CstNode): A.Arg {
    const arg: A.Arg = {
      value: this.v(node(c, "expression")),
      span: nodeSpan(n),
    };
    const name = tokens(c, "Identifier")[0];
    if (name) arg.name = ident(name);
    return arg;
  }

  list(c: Children, n: CstNode): A.ListExpr {
    return {
      kind: "List",
      items: nodes(c, "expression").map((e) => this.v(e) as A.Expr),
      span: nodeSpan(n),
    };
  }

  record(c: Children, n: CstNode): A.RecordExpr {
    return {
      kind: "Record",
      fields: nodes(c, "field").map((f) => this.v(f) as A.RecordField),
      span: nodeSpan(n),
    };
  }

  field(c: Children, n: CstNode): A.RecordField {
    return {
      key: ident(token(c, "Identifier")),
      value: this.v(node(c, "expression")),
      span: nodeSpan(n),
    };
  }
}

function numberLit(t: IToken): A.NumberLit {
  return {
    kind: "Number",
    value: Number(t.image),
    raw: t.image,
    span: tokenSpan(t),
  };
}

const builder = new AstBuilder();

export function cstToAst(root: CstNode): A.TopLevel[] {
  return builder.visit(root, root) as A.TopLevel[];
}

export { tokenSpan };
