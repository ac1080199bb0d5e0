// Elaborates network expressions (linear, mlp, dense, concat, named `let` values) into a graph of
// layers and records the head width each distribution parameter demands (resolved in widths.ts).
import type * as A from "../syntax/ast.js";
import type { Span } from "../span.js";
import { suggestHint } from "../diagnostics/suggest.js";
import { MAX_WIDTH } from "../limits.js";
import { bindArgs, describe, readNumber } from "./args.js";
import type { ModelContext } from "./context.js";
import { distributionNames } from "../../ir/families.js";
import { letReads, ScopeReads } from "./reads.js";
import { activations, networkFunctions } from "../../ir/vocabulary.js";

export interface GraphNode {
  id: string;
  op: "input" | "dense" | "concat";
  of?: string;
  inputs: string[];
  /** Known output width: a view/latent, an explicit width, a hidden layer, or inferred later. */
  out?: number;
  /** A head whose width comes from its consumer. */
  pending: boolean;
  activation: string;
  name?: string;
  span: Span;
}

export interface Demand {
  node: string;
  width: number;
  what: string;
  span: Span;
}

/** Which views/latents a component's networks may read, and how to name the component. */
export interface Scope {
  allowed: ReadonlySet<string>;
  label: string;
}

export class NetworkGraph {
  readonly nodes: GraphNode[] = [];
  private readonly inputNodes = new Map<string, string>();
  /** `let` name → its node id (absent if it failed); `visiting` while on `letStack` (cycle detection). */
  private readonly letNodes = new Map<
    string,
    { visiting: boolean; id?: string }
  >();
  /** The `let` values being elaborated, each reading the next (see `elaborateLets`). */
  private readonly letStack: string[] = [];
  private readonly reads = new ScopeReads((id) => this.get(id));
  readonly demands: Demand[] = [];
  readonly usedLets = new Set<string>();

  constructor(private readonly ctx: ModelContext) {}

  /** Elaborates `e` as a network readable in `scope`; returns its node id or undefined (reported). */
  network(e: A.Expr, scope: Scope | undefined): string | undefined {
    switch (e.kind) {
      case "Name":
        return this.name(e, scope);
      case "Call":
        return this.call(e, scope);
      default:
        this.ctx.report(e.span, "WrongValueKind", [
          "a network (a view, latent, `let` value, `linear`, `mlp`, `dense` or `concat`)",
          describe(e),
        ]);
        return undefined;
    }
  }

  /** Records that `node` must have width `width` (a distribution parameter's head). */
  demand(node: string, width: number, what: string, span: Span): void {
    this.demands.push({ node, width, what, span });
  }

  get(id: string): GraphNode {
    return this.nodes[Number(id.slice(1))]!;
  }

  private add(node: Omit<GraphNode, "id">): string {
    const id = `n${this.nodes.length}`;
    // Every node has every field, so the loops over 100 000 layers see one object shape.
    this.nodes.push({
      id,
      op: node.op,
      of: node.of,
      inputs: node.inputs,
      out: node.out,
      pending: node.pending,
      activation: node.activation,
      name: node.name,
      span: node.span,
    });
    return id;
  }

  private name(e: A.NameRef, scope: Scope | undefined): string | undefined {
    const view = this.ctx.views.get(e.name);
    const latent = this.ctx.latents.get(e.name);
    if (view || latent) {
      if (scope && !scope.allowed.has(e.name)) {
        this.ctx.report(
          e.span,
          "NetInputNotInScope",
          [e.name, scope.label],
          readableHint(scope),
        );
        return undefined;
      }
      let id = this.inputNodes.get(e.name);
      if (id === undefined) {
        id = this.add({
          op: "input",
          of: e.name,
          inputs: [],
          out: view?.width ?? latent!.width,
          pending: false,
          activation: "linear",
          span: e.span,
        });
        this.inputNodes.set(e.name, id);
      }
      return id;
    }
    if (this.ctx.invalid.has(e.name)) return undefined;
    const stmt = this.ctx.lets.get(e.name);
    if (stmt === undefined) {
      this.ctx.report(
        e.span,
        "UnknownName",
        [e.name],
        // Suggest only what this component could read.
        suggestHint(
          e.name,
          scope
            ? [...scope.allowed, ...this.ctx.lets.keys()]
            : this.ctx.declaredNames(),
        ),
      );
      return undefined;
    }
    this.usedLets.add(e.name);
    const id = this.letNode(stmt);
    if (id === undefined || scope === undefined) return id;
    const input = this.reads.firstOutside(id, scope);
    if (input === undefined) return id;
    this.ctx.report(
      e.span,
      "NetInputNotInScope",
      [input, scope.label],
      `\`${e.name}\` reads \`${input}\`; ${readableHint(scope)}`,
    );
    return undefined;
  }

  private letNode(stmt: A.LetStmt): string | undefined {
    const name = stmt.name.name;
    const state = this.letNodes.get(name);
    if (state?.visiting) {
      const cycle = [
        ...this.letStack.slice(this.letStack.indexOf(name)),
        name,
      ].join(" -> ");
      this.ctx.report(
        stmt.name.span,
        "CyclicValue",
        [cycle],
        "a `let` value may only use views, latents and earlier-resolved values",
      );
      return undefined;
    }
    if (state) return state.id;
    this.elaborateLets(stmt);
    return this.letNodes.get(name)!.id;
  }

  /**
   * Elaborates `root` and the `let` values it reads, deepest first, with a loop instead of
   * recursion (a chain of 10 000 `let`s would overflow the stack). When a value is elaborated, the
   * values it reads already are, or are on `letStack`: a cycle, which `letNode` reports.
   */
  private elaborateLets(root: A.LetStmt): void {
    const frames: { stmt: A.LetStmt; reads: A.LetStmt[]; next: number }[] = [];
    const enter = (stmt: A.LetStmt): void => {
      this.letNodes.set(stmt.name.name, { visiting: true });
      this.letStack.push(stmt.name.name);
      frames.push({
        stmt,
        reads: letReads(stmt.value, this.ctx.lets),
        next: 0,
      });
    };
    enter(root);
    while (frames.length > 0) {
      const top = frames[frames.length - 1]!;
      const read = top.reads[top.next++];
      if (read !== undefined) {
        if (!this.letNodes.has(read.name.name)) enter(read);
        continue;
      }
      this.finishLet(top.stmt);
      frames.pop();
    }
  }

  /** Elaborates one `let` value whose reads are resolved, and names its node after it. */
  private finishLet(stmt: A.LetStmt): void {
    const name = stmt.name.name;
    const id = this.network(stmt.value, undefined);
    this.letStack.pop();
    this.letNodes.set(name, {
      visiting: false,
      ...(id === undefined ? {} : { id }),
    });
    const node = id === undefined ? undefined : this.get(id);
    if (node && node.name === undefined && node.op !== "input")
      node.name = name;
  }

  /** An activation name (E012 with did-you-mean when unknown). */
  private activation(e: A.Expr, fn: string): string | undefined {
    if (
      e.kind === "Name" &&
      (activations as readonly string[]).includes(e.name)
    )
      return e.name;
    if (e.kind === "Name")
      this.ctx.report(
        e.span,
        "UnknownActivation",
        [e.name],
        suggestHint(e.name, activations),
      );
    else
      this.ctx.report(e.span, "WrongArgumentKind", [
        `the activation of \`${fn}\``,
        `an activation (${activations.join(", ")})`,
        describe(e),
      ]);
    return undefined;
  }

  private call(e: A.Call, scope: Scope | undefined): string | undefined {
    const fn = e.callee.name;
    if (!(networkFunctions as readonly string[]).includes(fn)) {
      const isDist = distributionNames.includes(fn);
      if (isDist)
        this.ctx.report(
          e.span,
          "WrongValueKind",
          ["a network", `the distribution \`${fn}\``],
          "distributions are not networks: a parameter takes a network such as `linear(z)`",
        );
      else
        this.ctx.report(
          e.callee.span,
          "UnknownFunction",
          ["network", fn],
          suggestHint(fn, networkFunctions),
        );
      return undefined;
    }
    if (fn === "concat") {
      const bound = bindArgs(e, [], [], this.ctx, true);
      if (bound.size === 0) {
        this.ctx.report(e.span, "EmptyList", ["`concat(...)`"]);
        return undefined;
      }
      const inputs = [...bound.values()].map((a) => this.network(a, scope));
      if (inputs.some((i) => i === undefined)) return undefined;
      return this.add({
        op: "concat",
        inputs: inputs as string[],
        pending: false,
        activation: "linear",
        span: e.span,
      });
    }
    const signature =
      fn === "linear"
        ? ["input", "width"]
        : fn === "mlp"
          ? ["input", "hidden", "activation", "width"]
          : ["input", "hidden", "activation"];
    const bound = bindArgs(e, signature, signature, this.ctx);
    for (const required of signature.filter((s) => s !== "width")) {
      if (!bound.has(required)) {
        this.ctx.report(e.callee.span, "MissingArgument", [fn, required]);
        return undefined;
      }
    }
    let current = this.network(bound.get("input")!, scope);
    const widthExpr = bound.get("width");
    const width =
      widthExpr &&
      readNumber(
        widthExpr,
        `the width of \`${fn}\``,
        { int: true, min: 1, max: MAX_WIDTH },
        this.ctx,
      );
    if (widthExpr && width === undefined) return undefined;
    let hidden: number[] = [];
    let activation = "linear";
    if (fn !== "linear") {
      const list = bound.get("hidden")!;
      const act = this.activation(bound.get("activation")!, fn);
      if (list.kind !== "List") {
        this.ctx.report(list.span, "WrongArgumentKind", [
          `the hidden widths of \`${fn}\``,
          "a list of widths like [400, 400]",
          describe(list),
        ]);
        return undefined;
      }
      if (fn === "dense" && list.items.length === 0) {
        this.ctx.report(list.span, "EmptyList", ["the widths of `dense`"]);
        return undefined;
      }
      const widths = list.items.map((item) =>
        readNumber(
          item,
          "a hidden width",
          { int: true, min: 1, max: MAX_WIDTH },
          this.ctx,
        ),
      );
      if (act === undefined || widths.some((w) => w === undefined))
        return undefined;
      hidden = widths as number[];
      activation = act;
    }
    if (current === undefined) return undefined;
    for (const h of hidden)
      current = this.add({
        op: "dense",
        inputs: [current],
        out: h,
        pending: false,
        activation,
        span: e.span,
      });
    if (fn === "dense") return current;
    return this.add({
      op: "dense",
      inputs: [current],
      out: width,
      pending: width === undefined,
      activation: "linear",
      span: e.span,
    });
  }
}

function readableHint(scope: Scope): string {
  const names = [...scope.allowed];
  return names.length === 0
    ? `${scope.label} reads no data or latents`
    : `${scope.label} can read: ${names.map((n) => `\`${n}\``).join(", ")}`;
}
