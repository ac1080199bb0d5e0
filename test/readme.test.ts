// The README stays true: every diagnostic code with its explanation, every example, every dependency.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allMessages } from "../src/compiler/diagnostics/catalog.js";

// Prettier pads markdown tables; compare with runs of spaces collapsed.
const readme = readFileSync(
  new URL("../README.md", import.meta.url),
  "utf8",
).replace(/ +/g, " ");
const pkg = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

describe("README", () => {
  it.each(allMessages.map((m) => [m.code, m] as const))(
    "documents %s with its explanation",
    (code, m) => {
      expect(readme).toContain(`| ${code} | ${m.severity} |`);
      expect(readme).toContain(m.explain.replace(/\|/g, "\\|"));
    },
  );

  it("lists every example", () => {
    for (const f of readdirSync(
      new URL("../examples/", import.meta.url),
    ).filter((x) => x.endsWith(".vae"))) {
      expect(readme).toContain(`(examples/${f})`);
    }
  });

  it("justifies every dependency", () => {
    for (const dep of [
      ...Object.keys(pkg.dependencies),
      ...Object.keys(pkg.devDependencies),
    ])
      expect(readme).toContain(`\`${dep}\``);
  });

  it("names the test command that .ci/run runs", () => {
    const ci = readFileSync(new URL("../.ci/run", import.meta.url), "utf8");
    expect(ci).toContain("npm test");
    expect(readme).toMatch(/^npm test\b/m);
  });
});
