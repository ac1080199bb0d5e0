// The pure `.vae` grammar: a chevrotain CstParser with no semantic actions (the visitor builds the AST).
import {
  CstParser,
  EOF,
  type IParserErrorMessageProvider,
  type TokenType,
} from "chevrotain";
import * as T from "./lexer.js";

const statementStarts =
  "a declaration (`data`, `latent`, `let`, `prior`, `encoder`, `decoder`, `kl`, `beta`)";

function label(tokenType: TokenType): string {
  if (tokenType === EOF) return "end of file";
  return tokenType.LABEL ?? tokenType.name;
}

function orList(labels: string[]): string {
  const unique = [...new Set(labels)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

/**
 * Messages carry only the "expected" half; the parse phase adds what was found and the code.
 * Where a rule's loop could also have continued, the message says so (e.g. a declaration or `}`).
 */
export const expectationProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, ruleName }) {
    if (expected === T.RBrace && ruleName === "modelDecl")
      return `${statementStarts} or \`}\``;
    if (expected === T.RBrace && ruleName === "trainDecl")
      return "a setting (`name = value`) or `}`";
    return label(expected);
  },
  buildNotAllInputParsedMessage() {
    return "`model` or `train`";
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, ruleName }) {
    if (ruleName === "modelStatement") return statementStarts;
    const firsts = expectedPathsPerAlt.flatMap((paths) =>
      paths.map((path) => (path[0] ? label(path[0]) : "")),
    );
    return orList(firsts.filter((s) => s !== ""));
  },
  buildEarlyExitMessage({ expectedIterationPaths }) {
    return orList(
      expectedIterationPaths
        .map((path) => (path[0] ? label(path[0]) : ""))
        .filter((s) => s !== ""),
    );
  },
};

export class VaeParser extends CstParser {
  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: "full",
      maxLookahead: 3,
      errorMessageProvider: expectationProvider,
    });
    this.performSelfAnalysis();
  }

  public program = this.RULE("program", () => {
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.modelDecl) },
        { ALT: () => this.SUBRULE(this.trainDecl) },
      ]),
    );
  });

  public modelDecl = this.RULE("modelDecl", () => {
    this.CONSUME(T.Model);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.modelStatement));
    this.CONSUME(T.RBrace);
  });

  public modelStatement = this.RULE("modelStatement", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.dataDecl) },
      { ALT: () => this.SUBRULE(this.latentDecl) },
      { ALT: () => this.SUBRULE(this.letDecl) },
      { ALT: () => this.SUBRULE(this.priorDecl) },
      { ALT: () => this.SUBRULE(this.encoderDecl) },
      { ALT: () => this.SUBRULE(this.decoderDecl) },
      { ALT: () => this.SUBRULE(this.klDecl) },
      { ALT: () => this.SUBRULE(this.betaDecl) },
    ]);
  });

  public dataDecl = this.RULE("dataDecl", () => {
    this.CONSUME(T.Data);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  public latentDecl = this.RULE("latentDecl", () => {
    this.CONSUME(T.Latent);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.typeExpr);
  });

  public typeExpr = this.RULE("typeExpr", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LBracket);
    this.CONSUME(T.NumberLiteral);
    this.CONSUME(T.RBracket);
  });

  public letDecl = this.RULE("letDecl", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public priorDecl = this.RULE("priorDecl", () => {
    this.CONSUME(T.Prior);
    this.SUBRULE(this.density);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public encoderDecl = this.RULE("encoderDecl", () => {
    this.CONSUME(T.Encoder);
    this.SUBRULE(this.density);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public decoderDecl = this.RULE("decoderDecl", () => {
    this.CONSUME(T.Decoder);
    this.SUBRULE(this.density);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  /** `p(x | z)`, `q(z | x, y)`, `p(z)`. */
  public density = this.RULE("density", () => {
    this.CONSUME(T.Identifier, { LABEL: "symbol" });
    this.CONSUME(T.LParen);
    this.CONSUME2(T.Identifier, { LABEL: "target" });
    this.OPTION(() => {
      this.CONSUME(T.Pipe);
      this.AT_LEAST_ONE_SEP({
        SEP: T.Comma,
        DEF: () => this.CONSUME3(T.Identifier, { LABEL: "given" }),
      });
    });
    this.CONSUME(T.RParen);
  });

  public klDecl = this.RULE("klDecl", () => {
    this.CONSUME(T.Kl);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.CONSUME(T.Identifier);
      this.CONSUME(T.RParen);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public betaDecl = this.RULE("betaDecl", () => {
    this.CONSUME(T.Beta);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  public trainDecl = this.RULE("trainDecl", () => {
    this.CONSUME(T.Train);
    this.CONSUME(T.Identifier);
    this.CONSUME(T.LBrace);
    this.MANY(() => this.SUBRULE(this.setting));
    this.CONSUME(T.RBrace);
  });

  public setting = this.RULE("setting", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.Identifier) },
      { ALT: () => this.CONSUME(T.Data) },
    ]);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expression);
  });

  /** An atom, or a range `atom -> atom`. */
  public expression = this.RULE("expression", () => {
    this.SUBRULE(this.atom);
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.atom);
    });
  });

  public atom = this.RULE("atom", () => {
    this.OR([
      { ALT: () => this.CONSUME(T.NumberLiteral) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.SUBRULE(this.callOrName) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.record) },
    ]);
  });

  public callOrName = this.RULE("callOrName", () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.argument) });
      this.CONSUME(T.RParen);
    });
  });

  public argument = this.RULE("argument", () => {
    this.OPTION(() => {
      this.CONSUME(T.Identifier);
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expression);
  });

  public list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.expression) });
    this.CONSUME(T.RBracket);
  });

  public record = this.RULE("record", () => {
    this.CONSUME(T.LBrace);
    this.MANY_SEP({ SEP: T.Comma, DEF: () => this.SUBRULE(this.field) });
    this.CONSUME(T.RBrace);
  });

  public field = this.RULE("field", () => {
    this.CONSUME(T.Identifier);
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expression);
  });
}

/** One parser instance, reused (chevrotain parsers are built once and reset per input). */
export const vaeParser = new VaeParser();
