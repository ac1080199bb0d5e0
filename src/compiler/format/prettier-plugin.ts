// A Prettier 3 plugin for `.vae` files: the parser runs formatVae, the printer hands its output back.
import type { Parser, Plugin, Printer, SupportLanguage } from "prettier";
import { formatVae } from "./format.js";

/** The whole file as one node; comments stay inside `formatted`, so Prettier attaches none. */
export interface VaeRoot {
  type: "vae-root";
  text: string;
  formatted: string;
}

/** A syntax error shaped like the ones Prettier's own parsers throw (message ends in `(line:col)`). */
function syntaxError(
  message: string,
  line: number,
  column: number,
): SyntaxError {
  const error = new SyntaxError(`${message} (${line}:${column})`);
  return Object.assign(error, { loc: { start: { line, column } } });
}

export const languages: SupportLanguage[] = [
  {
    name: "vae",
    parsers: ["vae"],
    extensions: [".vae"],
    vscodeLanguageIds: ["vae"],
  },
];

const vaeParser: Parser<VaeRoot> = {
  astFormat: "vae-ast",
  parse(text: string): VaeRoot {
    // Prettier applies its own `endOfLine` option to the printed text, which must use `\n`.
    const { formatted, diagnostics } = formatVae(text, { endOfLine: "lf" });
    if (formatted === undefined) {
      const first = diagnostics[0];
      if (!first) throw new SyntaxError("syntax error");
      throw syntaxError(
        first.message,
        first.span.start.line,
        first.span.start.col,
      );
    }
    return { type: "vae-root", text, formatted };
  },
  locStart: () => 0,
  locEnd: (node: VaeRoot) => node.text.length,
};

export const parsers: Record<string, Parser<VaeRoot>> = { vae: vaeParser };

const vaePrinter: Printer<VaeRoot> = {
  print: (path) => path.node.formatted,
};

export const printers: Record<string, Printer<VaeRoot>> = {
  "vae-ast": vaePrinter,
};

const plugin: Plugin<VaeRoot> = { languages, parsers, printers };
export default plugin;
