// The parser's error messages ("expected ..."; the parse phase adds what was found) and their
// count: past the per-file cap, building one more message ends the parse (see `runParser`).
import {
  EOF,
  type IParserErrorMessageProvider,
  type TokenType,
} from "chevrotain";
import { ErrorBudget, ErrorLimitReached } from "../diagnostics/limit.js";
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
const expectations: IParserErrorMessageProvider = {
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

/** The errors of the parse now running. */
let budget = new ErrorBudget();

/** Starts counting the errors of a new parse. */
export function startCounting(): void {
  budget = new ErrorBudget();
}

/**
 * Chevrotain builds an error's message just before it records the error, whatever recovery made
 * it, so counting messages counts errors. Past the cap this throws, which is not a recognition
 * error: chevrotain's recovery passes it on and the parse ends (see `runParser`). Without the stop,
 * recovery on junk records an error per token, each with a copy of a rule stack that grows with
 * every in-repetition recovery: quadratic time and memory.
 */
function counted<A>(build: (options: A) => string): (options: A) => string {
  return (options) => {
    if (budget.exhausted) throw new ErrorLimitReached();
    budget.spend();
    return build(options);
  };
}

/** The parser's messages, counted. */
export const countingProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: counted(expectations.buildMismatchTokenMessage),
  buildNotAllInputParsedMessage: counted(
    expectations.buildNotAllInputParsedMessage,
  ),
  buildNoViableAltMessage: counted(expectations.buildNoViableAltMessage),
  buildEarlyExitMessage: counted(expectations.buildEarlyExitMessage),
};
