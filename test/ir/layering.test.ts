// The layers: src/ir imports neither the compiler nor the runtime (both build on it), and the
// runtime reaches the compiler through src/compiler/driver.ts alone.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const src = fileURLToPath(new URL("../../src/", import.meta.url));

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? tsFiles(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

/** Every module specifier a file imports or re-exports, `import("…")` included. */
function specifiers(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = text.matchAll(
    /(?:^|\s)(?:import|export)\b[^"';]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm,
  );
  return [...found].map((m) => m[1] ?? m[2]!);
}

const where = (file: string): string => relative(src, file);

describe("layering", () => {
  it("src/ir imports only src/ir and packages", () => {
    const files = tsFiles(join(src, "ir"));
    expect(files.length).toBeGreaterThanOrEqual(7);
    const outside = files.flatMap((f) =>
      specifiers(f)
        .filter((s) => s.startsWith(".") && !s.startsWith("./"))
        .map((s) => `${where(f)}: ${s}`),
    );
    expect(outside).toEqual([]);
  });

  it("src/runtime imports the compiler only through driver.js", () => {
    const files = tsFiles(join(src, "runtime"));
    const found = files.flatMap((f) =>
      specifiers(f)
        .filter((s) => s.includes("compiler/"))
        .map((s) => `${where(f)}: ${s}`),
    );
    expect(found.length).toBeGreaterThan(0);
    expect(found.filter((s) => !s.endsWith("compiler/driver.js"))).toEqual([]);
  });
});
