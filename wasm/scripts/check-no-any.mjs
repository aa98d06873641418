// Fails when a TypeScript declaration file uses the type `any` (comments and property names such
// as a condition's `any` field do not count): no `any` reaches the package's consumers.
//   node scripts/check-no-any.mjs pkg/*.d.ts pkg/generated/*.d.ts
import { readFileSync } from "node:fs";
import ts from "typescript";

let found = 0;
for (const file of process.argv.slice(2)) {
  const src = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
  const visit = (node) => {
    if (node.kind === ts.SyntaxKind.AnyKeyword) {
      const { line } = src.getLineAndCharacterOfPosition(node.getStart(src));
      console.error(`${file}:${line + 1}: ${src.text.split("\n")[line].trim()}`);
      found++;
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
}
if (found > 0) {
  console.error(`error: 'any' in the package's type declarations (${found} above)`);
  process.exit(1);
}
