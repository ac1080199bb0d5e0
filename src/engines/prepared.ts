// What an engine has prepared for each program it has run (a compiled session, uploaded
// constants), built on first use and kept per Program object, with the list to free at the end.
import type { Program } from "../program/graph.js";

export class Prepared<T> {
  private readonly byProgram = new WeakMap<Program, T>();
  private readonly all: T[] = [];

  constructor(private readonly prepare: (p: Program) => T) {}

  get(p: Program): T {
    let hit = this.byProgram.get(p);
    if (hit === undefined) {
      hit = this.prepare(p);
      this.byProgram.set(p, hit);
      this.all.push(hit);
    }
    return hit;
  }

  /** Every prepared value, once; the cache forgets them. */
  drain(): T[] {
    return this.all.splice(0);
  }
}
