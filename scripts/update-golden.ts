// Regenerates the golden files: test/golden/bad/*.expected and test/golden/ir/*.json.
// Review `git diff test/golden` afterwards: a golden file is a claim, not a snapshot to accept blindly.
import { renameSync, writeFileSync } from "node:fs";
import {
  badDir,
  examplesDir,
  expectedPath,
  exampleIr,
  irPath,
  renderBad,
  vaeFiles,
} from "../test/golden/golden.js";

function writeAtomic(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

for (const file of vaeFiles(badDir))
  writeAtomic(expectedPath(file), renderBad(file));
for (const file of vaeFiles(examplesDir))
  writeAtomic(irPath(file), exampleIr(file));
console.log("golden files updated; review with `git diff test/golden`");
