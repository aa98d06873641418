// The examples of the public API run, so they cannot rot: every ```js block of a doc comment in
// the built declarations (pkg/*.d.ts, which keep the TSDoc of js/*.ts) is run as an ES module
// under Node, with the package installed as `advocacy-wasm` (a node_modules link to pkg/). A
// block without an import line runs with every export of its entry point in scope. A line
// `expression; // value` whose comment starts with a JSON value asserts that the expression
// equals it (deepStrictEqual; typed arrays compare as arrays, NaN in them as null), so the values
// the examples show are checked too. And every
// exported function, class, method and getter (but @internal ones) has an example.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PKG = path.join(HERE, "..", "pkg");
/** The declaration files of the public API, and the entry point each belongs to. */
const FILES = {
  "errors.d.ts": "advocacy-wasm",
  "api.d.ts": "advocacy-wasm",
  "web.d.ts": "advocacy-wasm",
  "node.d.ts": "advocacy-wasm",
  "program.d.ts": "advocacy-wasm/program",
  "program-node.d.ts": "advocacy-wasm/program",
};

/** The doc comment text of a node (JSDoc blocks directly before it). */
function docOf(node, sf) {
  return (ts.getJSDocCommentsAndTags(node) ?? [])
    .filter((d) => d.kind === ts.SyntaxKind.JSDoc)
    .map((d) => sf.text.slice(d.pos, d.end))
    .join("\n");
}

function isInternal(doc) {
  return /@internal\b/.test(doc);
}

/** The ```js blocks of a doc comment, without the leading ` * `. */
function blocksOf(doc) {
  const text = doc
    .split("\n")
    .map((l) => l.replace(/^\s*\/?\*+\/?\s?/, ""))
    .join("\n");
  return [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
}

const hasExport = (n) => (ts.getCombinedModifierFlags(n) & ts.ModifierFlags.Export) !== 0;
const isPrivate = (n) =>
  (ts.getCombinedModifierFlags(n) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0 ||
  (n.name !== undefined && ts.isPrivateIdentifier(n.name));

/** Every documented item: { where, name, needsExample, blocks, entry }. */
function items() {
  const out = [];
  for (const [file, entry] of Object.entries(FILES)) {
    const full = path.join(PKG, file);
    const sf = ts.createSourceFile(full, readFileSync(full, "utf8"), ts.ScriptTarget.ES2022, true);
    const add = (node, name, needsExample) => {
      const doc = docOf(node, sf);
      if (isInternal(doc) || name.startsWith("_")) return;
      out.push({ where: `${file} ${name}`, needsExample, blocks: blocksOf(doc), entry });
    };
    for (const st of sf.statements) {
      if (!hasExport(st)) continue;
      if (ts.isFunctionDeclaration(st) && st.name) add(st, st.name.text, true);
      else if (ts.isClassDeclaration(st) && st.name) {
        add(st, st.name.text, true);
        for (const m of st.members) {
          if (isPrivate(m)) continue;
          const name = ts.isConstructorDeclaration(m) ? "constructor" : m.name && ts.isIdentifier(m.name) ? m.name.text : undefined;
          if (name === undefined) continue;
          const callable = ts.isMethodDeclaration(m) || ts.isGetAccessorDeclaration(m) || ts.isConstructorDeclaration(m);
          add(m, `${st.name.text}.${name}`, callable);
        }
      } else if (ts.isInterfaceDeclaration(st)) {
        add(st, st.name.text, false);
        for (const m of st.members) {
          if (m.name && ts.isIdentifier(m.name)) add(m, `${st.name.text}.${m.name.text}`, ts.isMethodSignature(m));
        }
      } else if (ts.isTypeAliasDeclaration(st)) add(st, st.name.text, false);
      else if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) add(st, d.name.text, false);
      }
    }
  }
  return out;
}

/** `stmt; // value` as an assertion when the comment starts with a JSON value. */
function withAssertions(code) {
  return code
    .split("\n")
    .map((line) => {
      const m = /^(\s*)(.+?);\s*\/\/\s*(.+)$/.exec(line);
      if (!m) return line;
      const [, indent, stmt, comment] = m;
      if (/^(const|let|var|import|export|if|for|while|return|throw|try|await init|\}|console\.)\b/.test(stmt) || /\b(const|let|var)\s/.test(stmt)) {
        return line;
      }
      // One whole statement on the line (a call spread over lines is left as it is).
      let depth = 0;
      for (const ch of stmt.replace(/(["'`])(?:\\.|(?!\1).)*\1/g, "")) {
        if ("([{".includes(ch)) depth++;
        else if (")]}".includes(ch) && --depth < 0) break;
      }
      if (depth !== 0) return line;
      const value = jsonPrefix(comment);
      if (value === undefined) return line;
      return `${indent}__check(${JSON.stringify(line.trim())}, (${stmt}), ${JSON.stringify(value.text)}); // ${comment}`;
    })
    .join("\n");
}

/** The longest prefix of a comment that is a JSON value followed by the end or by words. */
function jsonPrefix(comment) {
  for (let i = comment.length; i > 0; i--) {
    if (i < comment.length && !/[\s:;,(]/.test(comment[i])) continue;
    const text = comment.slice(0, i).trim();
    if (text === "") continue;
    try {
      JSON.parse(text);
      return { text };
    } catch {
      // not a value
    }
  }
  return undefined;
}

const PRELUDE = (entry) => `import assert from "node:assert/strict";
const __check = (line, actual, expected) => {
  // Typed arrays as arrays, NaN as null (JSON has no NaN: an example writes a flagged row's NaN as null).
  const norm = (v) => {
    const a = ArrayBuffer.isView(v) ? Array.from(v) : v;
    return Array.isArray(a) ? a.map((x) => (Number.isNaN(x) ? null : x)) : a;
  };
  assert.deepStrictEqual(norm(actual), JSON.parse(expected), line);
  globalThis.__checked = (globalThis.__checked ?? 0) + 1;
};
import * as __entry from ${JSON.stringify(entry)};
`;

function scopeFor(code, entry) {
  if (/^\s*import\s.*from\s+["']advocacy-wasm/m.test(code)) return "";
  return `const { ${Object.keys(entryExports[entry]).join(", ")} } = __entry;\n`;
}

const entryExports = {
  "advocacy-wasm": await import(path.join(PKG, "node.js")),
  "advocacy-wasm/program": await import(path.join(PKG, "program-node.js")),
};

const all = items();

test("every public function, class, method and getter has an example", () => {
  const missing = all.filter((i) => i.needsExample && i.blocks.length === 0).map((i) => i.where);
  assert.deepEqual(missing, [], `no \`\`\`js example: ${missing.join(", ")}`);
  assert.ok(all.filter((i) => i.blocks.length > 0).length >= 40, "fewer examples than expected: is the d.ts parsed?");
});

test("every example runs and shows the values it returns", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "advocacy-examples-"));
  try {
    mkdirSync(path.join(dir, "node_modules"));
    symlinkSync(PKG, path.join(dir, "node_modules", "advocacy-wasm"), "dir");
    let k = 0;
    let checked = 0;
    const failures = [];
    for (const item of all) {
      for (const block of item.blocks) {
        const file = path.join(dir, `example-${k++}.mjs`);
        const code = withAssertions(block);
        writeFileSync(file, `${PRELUDE(item.entry)}${scopeFor(block, item.entry)}${code}\nconsole.log("checked=" + (globalThis.__checked ?? 0));\n`);
        let out;
        try {
          out = execFileSync(process.execPath, [file], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
        } catch (e) {
          const why = String(e.stderr || e.message).split("\n").filter((l) => !/^\s+at /.test(l)).slice(0, 12).join("\n");
          failures.push(`the example of ${item.where} failed:\n${block}\n${why}`);
          continue;
        }
        checked += Number(/checked=(\d+)/.exec(out)?.[1] ?? 0);
      }
    }
    assert.deepEqual(failures, [], failures.join("\n\n"));
    assert.ok(checked >= 40, `only ${checked} values checked in the examples`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
