// Writes grammar/railroad.html (railroad diagrams of the parser's rules); run with `npm run railroad`.
import { renameSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { railroadHtml } from "./railroad-html.js";

const target = fileURLToPath(
  new URL("../grammar/railroad.html", import.meta.url),
);
const temp = `${target}.${process.pid}.tmp`;

// Write beside the target, then rename: readers never see a half-written file.
writeFileSync(temp, railroadHtml(), "utf8");
renameSync(temp, target);
console.log(`wrote ${target}`);
