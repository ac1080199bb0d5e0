// The pure `.vae` grammar: a chevrotain CstParser with no semantic actions (the visitor builds the AST),
// and `runParser`, which stops the parser once it has found more errors than a file reports.
import {
  CstParser,
  type CstNode,
  type IOrAlt,
  type IRecognitionException,
  type IToken,
} from "chevrotain";
import { ErrorLimitReached } from "../diagnostics/limit.js";
import { countingProvider, startCounting } from "./expectations.js";
import * as T from "./lexer.js";

export class VaeParser extends CstParser {
  // Each OR's alternatives, built once: chevrotain's performance advice, as a fresh array of
  // closures per call is a large part of parsing time. They capture nothing but the parser.
  private topLevelAlts?: IOrAlt<unknown>[];
  private statementAlts?: IOrAlt<unknown>[];
  private settingKeyAlts?: IOrAlt<unknown>[];
  private atomAlts?: IOrAlt<unknown>[];

  constructor() {
    super(T.allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: "full",
      maxLookahead: 3,
      errorMessageProvider: countingProvider,
    });
    this.performSelfAnalysis();
  }

  public program = this.RULE("program", () => {
    this.MANY(() =>
      this.OR(
        (this.topLevelAlts ??= [
          { ALT: () => this.SUBRULE(this.modelDecl) },
          { ALT: () => this.SUBRULE(this.trainDecl) },
        ]),
      ),
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
    this.OR(
      (this.statementAlts ??= [
        { ALT: () => this.SUBRULE(this.dataDecl) },
        { ALT: () => this.SUBRULE(this.latentDecl) },
        { ALT: () => this.SUBRULE(this.letDecl) },
        { ALT: () => this.SUBRULE(this.priorDecl) },
        { ALT: () => this.SUBRULE(this.encoderDecl) },
        { ALT: () => this.SUBRULE(this.decoderDecl) },
        { ALT: () => this.SUBRULE(this.klDecl) },
        { ALT: () => this.SUBRULE(this.betaDecl) },
      ]),
    );
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
    this.OR(
      (this.settingKeyAlts ??= [
        { ALT: () => this.CONSUME(T.Identifier) },
        { ALT: () => this.CONSUME(T.Data) },
      ]),
    );
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
    this.OR(
      (this.atomAlts ??= [
        { ALT: () => this.CONSUME(T.NumberLiteral) },
        { ALT: () => this.CONSUME(T.StringLiteral) },
        { ALT: () => this.SUBRULE(this.callOrName) },
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.SUBRULE(this.record) },
      ]),
    );
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

export interface ParserRun {
  /** Absent when the parser stopped at the error cap. */
  cst?: CstNode;
  /** In source order; at most MAX_ERRORS + 1 of them. */
  errors: IRecognitionException[];
}

/** Parses a token stream, stopping after MAX_ERRORS + 1 syntax errors. */
export function runParser(tokens: IToken[]): ParserRun {
  vaeParser.input = tokens;
  startCounting();
  try {
    const cst = vaeParser.program();
    return { cst, errors: vaeParser.errors };
  } catch (e) {
    if (e instanceof ErrorLimitReached) return { errors: vaeParser.errors };
    throw e;
  } finally {
    // The parser keeps its input until the next parse: let the tokens go with the CST.
    vaeParser.input = [];
  }
}
