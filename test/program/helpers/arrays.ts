// NdArray builders for the program and engine tests: the element count of a shape, an array from
// listed values (their count checked against the shape) or from a function of the flat index.
import { expect } from "vitest";
import type { NdArray } from "../../../src/program/interpret.js";

/** The number of elements of an array of `shape` (1 for a scalar []). */
export const size = (shape: readonly number[]): number =>
  shape.reduce((a, b) => a * b, 1);

/** The array of `shape` holding `values` in row-major order. */
export function nd(shape: number[], values: ArrayLike<number>): NdArray {
  expect(values.length, `values for [${shape.join(", ")}]`).toBe(size(shape));
  return { shape, data: Float64Array.from(values) };
}

/** The array of `shape` whose flat (row-major) entry i is f(i). */
export const fill = (shape: number[], f: (i: number) => number): NdArray => ({
  shape,
  data: Float64Array.from({ length: size(shape) }, (_, i) => f(i)),
});
