// Sums the <Counters> of every TRX file under a directory and prints "N passed, N failed, N skipped".
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? "out/test-results";
const files = [];
const walk = (d) => {
  for (const name of readdirSync(d)) {
    const p = join(d, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (name.endsWith(".trx")) files.push(p);
  }
};
walk(dir);
if (files.length === 0) {
  console.error(`no .trx files under ${dir}: did the tests build?`);
  process.exit(1);
}
let passed = 0, failed = 0, skipped = 0;
for (const file of files) {
  const m = readFileSync(file, "utf8").match(/<Counters\b([^>]*)\/>/);
  if (!m) { console.error(`${file}: no <Counters> element`); process.exit(1); }
  const n = (name) => Number((m[1].match(new RegExp(`\\b${name}="(\\d+)"`)) ?? [0, 0])[1]);
  const p = n("passed");
  const f = n("failed") + n("error") + n("timeout") + n("aborted");
  passed += p;
  failed += f;
  // The adapter leaves notExecuted at 0 for ignored tests and only lowers "executed", so whatever neither
  // passed nor failed out of the total is what was skipped.
  skipped += n("total") - p - f;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
