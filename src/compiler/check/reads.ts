// What networks read, computed without recursion over chains (a file may chain 10 000 `let`s or
// stack 100 000 hidden layers): the `let` values a value's network reads, so lets are elaborated
// deepest first by a loop, and whether a node reads only what a component may see, memoized.
import type * as A from "../syntax/ast.js";
import type { GraphNode, Scope } from "./networks.js";
import { networkFunctions } from "../../ir/vocabulary.js";

/**
 * The `let` values `e` reads as networks, in the order elaboration meets them: a name, the input of
 * `linear`/`mlp`/`dense` (first positional or `input:`), every positional part of `concat`. Reads
 * in other positions (an activation, a width) are not networks and do not count. The walk recurses
 * only into brackets, which nest at most MAX_NESTING deep (syntax/nesting.ts).
 */
export function letReads(
  e: A.Expr,
  lets: ReadonlyMap<string, A.LetStmt>,
): A.LetStmt[] {
  const out: A.LetStmt[] = [];
  const visit = (x: A.Expr): void => {
    if (x.kind === "Name") {
      const stmt = lets.get(x.name);
      if (stmt) out.push(stmt);
      return;
    }
    if (x.kind !== "Call") return;
    const fn = x.callee.name;
    if (!(networkFunctions as readonly string[]).includes(fn)) return;
    const firstPositional = x.args.find((a) => a.name === undefined);
    for (const a of x.args) {
      const isInput =
        fn === "concat"
          ? a.name === undefined
          : a === firstPositional || a.name?.name === "input";
      if (isInput) visit(a.value);
    }
  };
  visit(e);
  return out;
}

/** Answers "does node `id` read only views and latents `scope` allows?" once per node and scope. */
export class ScopeReads {
  /** Per set of allowed names: the nodes known to read nothing else. */
  private readonly verified = new Map<string, Set<string>>();
  private readonly keys = new WeakMap<Scope, string>();

  constructor(private readonly node: (id: string) => GraphNode) {}

  /** The first view or latent `id` reads (depth first, inputs in order) that `scope` does not allow. */
  firstOutside(id: string, scope: Scope): string | undefined {
    const ok = this.verifiedFor(scope);
    const seen = new Set<string>();
    const stack = [id];
    while (stack.length > 0) {
      const nid = stack.pop()!;
      if (ok.has(nid) || seen.has(nid)) continue;
      seen.add(nid);
      const n = this.node(nid);
      if (n.op === "input" && !scope.allowed.has(n.of!)) return n.of!;
      for (let i = n.inputs.length - 1; i >= 0; i--) stack.push(n.inputs[i]!);
    }
    for (const nid of seen) ok.add(nid);
    return undefined;
  }

  private verifiedFor(scope: Scope): Set<string> {
    let key = this.keys.get(scope);
    if (key === undefined) {
      key = [...scope.allowed].sort().join("\n");
      this.keys.set(scope, key);
    }
    let ok = this.verified.get(key);
    if (ok === undefined) {
      ok = new Set();
      this.verified.set(key, ok);
    }
    return ok;
  }
}
