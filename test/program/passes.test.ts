// Program rewrites keep the outputs exactly: elideBroadcasts drops the broadcasts an elementwise
// user would do anyway (the gradient of a reduction), and keeps the ones that matter.
import { describe, expect, it } from "vitest";
import { gradients } from "../../src/program/autodiff.js";
import { Builder } from "../../src/program/builder.js";
import type { Program } from "../../src/program/graph.js";
import { interpret } from "../../src/program/interpret.js";
import { elideBroadcasts } from "../../src/program/passes.js";
import { fill } from "./helpers/arrays.js";

const count = (p: Program, op: string): number =>
  p.nodes.filter((n) => n.op === op).length;

describe("elideBroadcasts", () => {
  it("removes the broadcasts of a sum's gradient and leaves every output bit-identical", () => {
    const b = new Builder();
    const x = b.input("x", [4, 3]);
    const w = b.param("w", [3, 5]);
    const loss = x.matmul(w).tanh().square().sum(1).log1p().mean();
    const [g] = gradients(loss, [w]);
    const p = b.build({ loss, g: g! });
    const q = elideBroadcasts(p);
    expect(count(p, "broadcast")).toBeGreaterThan(0);
    expect(count(q, "broadcast")).toBeLessThan(count(p, "broadcast"));
    const feeds = {
      x: fill([4, 3], (i) => Math.sin(i + 1)),
      w: fill([3, 5], (i) => Math.cos(2 * i)),
    };
    const a = interpret(p, feeds);
    const c = interpret(q, feeds);
    for (const name of ["loss", "g"]) {
      expect(c[name]!.shape).toEqual(a[name]!.shape);
      expect([...c[name]!.data]).toEqual([...a[name]!.data]);
    }
  });

  it("keeps a broadcast that is an output or that sets its user's shape", () => {
    const b = new Builder();
    const v = b.input("v", [1, 3]);
    const wide = v.broadcastTo([4, 3]);
    // The user's other operand is [1, 3]: without the broadcast the sum would be [1, 3], not [4, 3].
    const kept = wide.add(v);
    const p = b.build({ kept, wide });
    expect(count(elideBroadcasts(p), "broadcast")).toBe(1);
    const q = b.build({ kept });
    expect(count(elideBroadcasts(q), "broadcast")).toBe(1);
    expect(elideBroadcasts(q).nodes.at(-1)!.shape).toEqual([4, 3]);
  });
});
