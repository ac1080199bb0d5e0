// The typed syntax tree the parser's visitor builds; every node carries its source span.
import type { Span } from "../span.js";

export interface Ident {
  name: string;
  span: Span;
}

export interface NumberLit {
  kind: "Number";
  value: number;
  raw: string;
  span: Span;
}
export interface StringLit {
  kind: "String";
  value: string;
  raw: string;
  span: Span;
}
export interface NameRef {
  kind: "Name";
  name: string;
  span: Span;
}
export interface Arg {
  name?: Ident;
  value: Expr;
  span: Span;
}
export interface Call {
  kind: "Call";
  callee: Ident;
  args: Arg[];
  span: Span;
}
export interface ListExpr {
  kind: "List";
  items: Expr[];
  span: Span;
}
export interface RecordField {
  key: Ident;
  value: Expr;
  span: Span;
}
export interface RecordExpr {
  kind: "Record";
  fields: RecordField[];
  span: Span;
}
/** `a -> b`, used by β schedules: `warmup(0 -> 1, epochs: 10)`. */
export interface RangeExpr {
  kind: "Range";
  from: Expr;
  to: Expr;
  span: Span;
}
export type Expr =
  NumberLit | StringLit | NameRef | Call | ListExpr | RecordExpr | RangeExpr;

export interface TypeExpr {
  support: Ident;
  size: NumberLit;
  span: Span;
}

/** `p(x | z)` or `q(z | x, y)`: the density symbol, its target and what it conditions on. */
export interface Density {
  symbol: Ident;
  target: Ident;
  given: Ident[];
  hasBar: boolean;
  span: Span;
}

export interface DataStmt {
  kind: "Data";
  name: Ident;
  type: TypeExpr;
  span: Span;
}
export interface LatentStmt {
  kind: "Latent";
  name: Ident;
  type: TypeExpr;
  span: Span;
}
export interface LetStmt {
  kind: "Let";
  name: Ident;
  value: Expr;
  span: Span;
}
export interface PriorStmt {
  kind: "Prior";
  density: Density;
  value: Expr;
  span: Span;
}
export interface EncoderStmt {
  kind: "Encoder";
  density: Density;
  value: Expr;
  span: Span;
}
export interface DecoderStmt {
  kind: "Decoder";
  density: Density;
  value: Expr;
  span: Span;
}
export interface KlStmt {
  kind: "Kl";
  latent?: Ident;
  value: Expr;
  span: Span;
}
export interface BetaStmt {
  kind: "Beta";
  value: Expr;
  span: Span;
}
export type ModelStmt =
  | DataStmt
  | LatentStmt
  | LetStmt
  | PriorStmt
  | EncoderStmt
  | DecoderStmt
  | KlStmt
  | BetaStmt;

export interface ModelDecl {
  kind: "Model";
  name: Ident;
  body: ModelStmt[];
  span: Span;
}

export interface Setting {
  key: Ident;
  value: Expr;
  span: Span;
}
export interface TrainDecl {
  kind: "Train";
  model: Ident;
  settings: Setting[];
  span: Span;
}

export type TopLevel = ModelDecl | TrainDecl;

export interface Comment {
  text: string;
  span: Span;
}

export interface Program {
  items: TopLevel[];
  comments: Comment[];
  span: Span;
}
