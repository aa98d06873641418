// End-to-end test of the page in Debian's Chromium (playwright-core, no downloaded browser).
//
// Serves wasm/web/dist on 127.0.0.1, loads the bundled sample, checks the top candidates and the
// tier counts against the `advocacy` CLI (and the Node build of the package), edits a weight and
// sees the ranking change, records every request to prove no account data leaves the page, and
// saves a screenshot to artifacts/wasm-page.png. Then a CRM-style export through "Choose CSV": the
// column mapping shown, one column corrected, the scores equal to the CLI's (with the same
// mapping as a --columns file), bad rows reported, the mapping remembered for the next file with
// the same headers, and a file of no known column refused with the core's error
// (artifacts/wasm-page-columns.png). Then the history: the sample snapshots (samples/history) and
// files chosen through "Choose snapshots" charted as the tier mix over time and an account's
// timeline, checked against the files, and the errors (no date, a date twice, bad rows) shown
// with their file and line (artifacts/wasm-page-history.png).
//
// Run after wasm/scripts/build.sh:  node wasm/tests/e2e.mjs
// Env: CHROMIUM (default /usr/bin/chromium), ADVOCACY_CLI (a built `advocacy` binary; default
// `cargo run -q -p advocacy-cli --`), SKIP_CLI=1 to compare with the Node build only.
import { createServer } from "node:http";
import { readFile, writeFile, mkdtemp, mkdir, rm } from "node:fs/promises";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import Papa from "../web/node_modules/papaparse/papaparse.js";

import { Model, tiers } from "../pkg/node.js";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const DIST = path.join(ROOT, "wasm/web/dist");
const SAMPLE = path.join(ROOT, "samples/accounts.csv");
const ARTIFACTS = path.join(ROOT, "artifacts");
const TOP = 10;

const log = (...a) => console.log("e2e:", ...a);

// ---- expected results ------------------------------------------------------------------------

/** The CLI's ranking and tier counts, or null when the CLI is not available. */
function fromCli() {
  if (process.env.SKIP_CLI === "1") return null;
  const [cmd, ...args] = process.env.ADVOCACY_CLI
    ? [process.env.ADVOCACY_CLI]
    : ["cargo", "run", "-q", "-p", "advocacy-cli", "--"];
  let out;
  try {
    out = execFileSync(cmd, [...args, "score", SAMPLE, "--format", "json"], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      maxBuffer: 64 << 20,
    });
  } catch (e) {
    log(`the CLI is not available (${String(e.message).split("\n")[0]}); comparing with the Node build only`);
    return null;
  }
  const rows = JSON.parse(out);
  assert.ok(Array.isArray(rows) && rows.length > 0, "CLI: a JSON array of rows");
  const scored = rows.filter((r) => r.tier !== null && r.tier !== undefined);
  const ranked = "rank" in rows[0] ? [...scored].sort((a, b) => a.rank - b.rank) : scored;
  const counts = {};
  for (const r of scored) counts[r.tier] = (counts[r.tier] ?? 0) + 1;
  return { top: ranked.slice(0, TOP).map((r) => [String(r.id), r.score, r.tier]), counts };
}

/** `advocacy score --format csv FILE [--columns MAPPING] --on-error flag`: id -> [score, tier]
 * (flagged rows: [null, null]), or null when the CLI is not available. */
function cliCsvScores(file, mappingFile) {
  if (process.env.SKIP_CLI === "1") return null;
  const [cmd, ...args] = process.env.ADVOCACY_CLI ? [process.env.ADVOCACY_CLI] : ["cargo", "run", "-q", "-p", "advocacy-cli", "--"];
  const extra = mappingFile ? ["--columns", mappingFile] : [];
  let out;
  try {
    out = execFileSync(cmd, [...args, "score", "--format", "csv", "--on-error", "flag", ...extra, file], {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  } catch (e) {
    log(`the CLI is not available (${String(e.message).split("\n")[0]})`);
    return null;
  }
  const [head, ...rows] = Papa.parse(out, { skipEmptyLines: "greedy" }).data;
  const col = (name) => head.indexOf(name);
  return Object.fromEntries(rows.map((r) => [r[col("id")], r[col("score")] === "" ? [null, null] : [Number(r[col("score")]), r[col("tier")]]]));
}

/** The page's scores: id -> [score, tier] (flagged rows: [null, null]). */
async function pageScores(page) {
  const s = await pageState(page);
  return Object.fromEntries(s.rows.map(([id, total, tier]) => [id, Number.isNaN(total) ? [null, null] : [total, tier]]));
}

/** The mapping table: header -> what its select reads it as. */
async function pageColumns(page) {
  return page.evaluate(() =>
    Object.fromEntries([...document.querySelectorAll("#columns-rows select[data-header]")].map((s) => [s.dataset.header, s.value])),
  );
}

// A CRM-style export: headers as Salesforce writes them, words for booleans, "Mid-Market",
// percentages, a column no alias matches (CSM Rating), one the page must not read (Owner), and
// one row with a bad value.
const CRM_CSV = [
  "Account ID,Account Name,NPS,Health Score,ROI Achieved,Segment,CSM Rating,Owner",
  "ACC-1,Green Labs,10,91.5,Yes,Mid-Market,5,Dana",
  "ACC-2,Harbor Analytics,9,84%,Yes,Enterprise,4,Luis",
  "ACC-3,Northwind Retail,6,72.5,No,SMB,3,Dana",
  "ACC-4,Blue Fjord,8,88,Yes,Enterprise,2,Priya",
  "ACC-5,Kite Health,10,95,No,mid market,4,Luis",
  "ACC-6,Orbit Media,,NA,Y,SMB,5,Dana",
  "ACC-7,Quartz Bank,11,90,Yes,Enterprise,5,Priya",
  "ACC-8,Cedar Logistics,3,40,N,SMB,1,Luis",
].join("\n");

/** The same through the Node build of the package (the page's code path, without a browser). */
function fromNode(model) {
  const data = Papa.parse(readFileSync(SAMPLE, "utf8"), { skipEmptyLines: "greedy" }).data;
  const records = model.recordsFromCells(data[0], data.slice(1));
  const res = model.scoreBatch(records, { onError: "flag" });
  const top = Array.from(res.ranking())
    .slice(0, TOP)
    .map((i) => [records[i].id, res.total[i], res.tier[i]]);
  const counts = Object.fromEntries(Object.entries(res.tierCounts()).filter(([, n]) => n > 0));
  return { top, counts, ids: records.map((r) => r.id).filter(Boolean) };
}

// ---- a static server on 127.0.0.1 ------------------------------------------------------------------

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".csv": "text/csv", ".svg": "image/svg+xml" };

function serve(dir) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const file = path.join(dir, decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname));
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end("not found");
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// ---- the page ---------------------------------------------------------------------------------

async function pageState(page) {
  return page.evaluate(() => {
    const rows = [...document.querySelectorAll("#rows tr[data-row]")].map((tr) => [
      tr.dataset.id,
      Number(tr.dataset.total),
      tr.dataset.tier,
    ]);
    const counts = {};
    for (const el of document.querySelectorAll("#chart [data-tier]")) {
      const n = Number(el.dataset.count);
      if (n > 0) counts[el.dataset.tier] = n;
    }
    return { rows, counts };
  });
}

// ---- history ------------------------------------------------------------------------------------

const HISTORY = path.join(ROOT, "samples/history");

/** The sample history as the files say: date -> { rows: [{ id, name, score, tier }], counts }. */
function historyFromFiles() {
  const files = readdirSync(HISTORY).filter((f) => /^\d{4}-\d{2}-\d{2}\.csv$/.test(f)).sort();
  assert.ok(files.length >= 3, `samples/history has snapshots (${files.length})`);
  return files.map((f) => {
    const [head, ...rows] = Papa.parse(readFileSync(path.join(HISTORY, f), "utf8"), { skipEmptyLines: "greedy" }).data;
    const col = (name) => head.indexOf(name);
    const out = rows.map((r) => ({ id: r[col("id")], name: r[col("name")], score: Number(r[col("score")]), tier: r[col("tier")] }));
    const counts = {};
    for (const r of out) counts[r.tier] = (counts[r.tier] ?? 0) + 1;
    return { date: f.slice(0, 10), file: f, rows: out, counts };
  });
}

/** The tier-mix chart: one entry per bar, with its segments' counts and heights. */
async function pageTierMix(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("#tier-mix g.bar")].map((g) => ({
      date: g.getAttribute("data-date"),
      accounts: Number(g.getAttribute("data-accounts")),
      segments: [...g.querySelectorAll("rect.segment")].map((r) => ({
        tier: r.getAttribute("data-tier"),
        count: Number(r.getAttribute("data-count")),
        height: Number(r.getAttribute("height")),
        y: Number(r.getAttribute("y")),
        tip: r.querySelector("title")?.textContent ?? "",
      })),
    })),
  );
}

/** The timeline chart: its points, gaps and threshold guides. */
async function pageTimeline(page) {
  return page.evaluate(() => ({
    account: document.querySelector("#timeline")?.getAttribute("data-account"),
    points: [...document.querySelectorAll("#timeline circle.point")].map((c) => [c.getAttribute("data-date"), Number(c.getAttribute("data-total")), c.getAttribute("data-tier")]),
    cy: [...document.querySelectorAll("#timeline circle.point")].map((c) => Number(c.getAttribute("cy"))),
    gaps: [...document.querySelectorAll("#timeline g.gap")].map((g) => g.getAttribute("data-date")),
    guides: Object.fromEntries([...document.querySelectorAll("#timeline g.threshold")].map((g) => [g.getAttribute("data-tier"), Number(g.getAttribute("data-value"))])),
  }));
}

/** The bars equal the files' tier counts, one bar per snapshot, heights proportional to counts
 * and stacked worst first (the package's `tiers` is best first). */
function assertTierMix(bars, snapshots) {
  assert.deepEqual(bars.map((b) => b.date), snapshots.map((s) => s.date), "one bar per snapshot date, oldest first");
  const perAccount = bars.flatMap((b) => b.segments.map((s) => s.height / s.count));
  assert.ok(Math.max(...perAccount) - Math.min(...perAccount) < 0.05, `heights proportional to counts: ${perAccount}`);
  const worstFirst = [...tiers].reverse();
  bars.forEach((b, i) => {
    const counts = Object.fromEntries(b.segments.map((s) => [s.tier, s.count]));
    assert.deepEqual(counts, snapshots[i].counts, `${b.date}: the tier counts of ${snapshots[i].file}`);
    assert.equal(b.accounts, snapshots[i].rows.length, `${b.date}: every account of the file`);
    const order = b.segments.map((s) => worstFirst.indexOf(s.tier));
    assert.deepEqual(order, [...order].sort((x, y) => x - y), `${b.date}: stacked worst first`);
    assert.deepEqual(b.segments.map((s) => s.y), [...b.segments.map((s) => s.y)].sort((x, y) => y - x), `${b.date}: better tiers above`);
  });
}

async function history(page) {
  const snapshots = historyFromFiles();
  await page.click("#history-sample");
  await page.waitForSelector("#tier-mix g.bar");
  const bars = await pageTierMix(page);
  assertTierMix(bars, snapshots);
  const last = snapshots[snapshots.length - 1];
  const tip = bars[bars.length - 1].segments.find((s) => s.tier === "not_yet_qualified");
  if (tip) assert.equal(tip.tip, `${last.date} · Not yet qualified: ${last.counts.not_yet_qualified} of ${last.rows.length} accounts (${Math.round((100 * last.counts.not_yet_qualified) / last.rows.length)}%)`);
  log("history tier mix:", bars.map((b) => `${b.date} ${b.segments.map((s) => `${s.tier}=${s.count}`).join(" ")}`).join("; "));

  // The account missing from a snapshot between its first and last: its points and its gap.
  const ids = [...new Set(snapshots.flatMap((s) => s.rows.map((r) => r.id)))];
  const present = (id) => snapshots.map((s) => s.rows.find((r) => r.id === id));
  const gapped = ids.find((id) => {
    const p = present(id);
    const first = p.findIndex(Boolean), lastSeen = p.findLastIndex(Boolean);
    return p.slice(first, lastSeen + 1).some((x) => !x);
  });
  assert.ok(gapped, "the sample history has an account with a gap");
  const options = await page.$$eval("#history-account option", (o) => o.map((x) => [x.value, x.textContent]));
  assert.equal(options.length, ids.length, "one option per account");
  const named = present(gapped).find(Boolean);
  assert.deepEqual(options.find(([v]) => v === gapped), [gapped, `${named.name} · ${gapped}`], "options name the accounts");
  await page.selectOption("#history-account", gapped);
  await page.waitForFunction((id) => document.querySelector("#timeline")?.getAttribute("data-account") === id, gapped);
  const tl = await pageTimeline(page);
  const rows = present(gapped);
  assert.deepEqual(tl.points, snapshots.flatMap((s, i) => (rows[i] ? [[s.date, rows[i].score, rows[i].tier]] : [])), "the timeline's points are the files' scores and tiers");
  const first = rows.findIndex(Boolean), lastSeen = rows.findLastIndex(Boolean);
  assert.deepEqual(tl.gaps, snapshots.filter((s, i) => i > first && i < lastSeen && !rows[i]).map((s) => s.date), "the gap is shown");
  const spec = Model.default().toObject();
  assert.deepEqual(tl.guides, spec.tiers, "the guides are the model's tier thresholds");
  const byScore = tl.points.map((p, i) => [p[1], tl.cy[i]]).sort((a, b) => a[0] - b[0]);
  assert.deepEqual(byScore.map((x) => x[1]), [...byScore.map((x) => x[1])].sort((a, b) => b - a), "higher scores are drawn higher");
  log(`timeline of ${gapped}:`, tl.points.map((p) => p.join(" ")).join(", "), "gaps:", tl.gaps.join(", "));
  // The guides follow the model on the left.
  await page.fill('input[data-threshold="gold"]', "65");
  await page.waitForFunction(() => document.querySelector('#timeline g.threshold[data-tier="gold"]')?.getAttribute("data-value") === "65");
  await page.click("#reset");
  await page.waitForFunction((v) => document.querySelector('#timeline g.threshold[data-tier="gold"]')?.getAttribute("data-value") === String(v), spec.tiers.gold);
  await page.locator(".history-wrap").scrollIntoViewIfNeeded();
  await mkdir(ARTIFACTS, { recursive: true });
  const shot = path.join(ARTIFACTS, "wasm-page-history.png");
  await page.locator(".history-wrap").screenshot({ path: shot });
  log("screenshot:", shot);

  // The same through "Choose snapshots": the CSV files, and a long JSON (an `as_of` on every
  // row) with a name that must stay text.
  const tmp = await mkdtemp(path.join(tmpdir(), "advocacy-history-"));
  try {
    const picked = snapshots.slice(0, 3);
    const paths = picked.map((s) => path.join(HISTORY, s.file));
    await page.setInputFiles("#history-files", paths);
    await page.waitForFunction(() => document.querySelector("#history-source")?.textContent?.startsWith("3 files ·"));
    assertTierMix(await pageTierMix(page), picked);
    const evil = "Acme <img src=x onerror=\"window.__xss=1\"> & <script>window.__xss=1</script>";
    const long = [
      { as_of: "2026-01-31", id: "x1", name: evil, score: 45, tier: "silver" },
      { as_of: "2026-01-31", id: "x2", score: 10, tier: "not_advocate_material" },
      { as_of: "2026-02-28", id: "x1", name: evil, score: 66, tier: "gold" },
    ];
    const json = path.join(tmp, "long.json");
    await writeFile(json, JSON.stringify(long));
    await page.setInputFiles("#history-files", [json]);
    await page.waitForFunction(() => document.querySelector("#history-source")?.textContent?.startsWith("long.json ·"));
    assertTierMix(await pageTierMix(page), [
      { date: "2026-01-31", file: "long.json", rows: long.slice(0, 2), counts: { silver: 1, not_advocate_material: 1 } },
      { date: "2026-02-28", file: "long.json", rows: long.slice(2), counts: { gold: 1 } },
    ]);
    await page.selectOption("#history-account", "x1");
    await page.waitForFunction(() => document.querySelector("#timeline")?.getAttribute("data-account") === "x1");
    assert.deepEqual((await pageTimeline(page)).points, [["2026-01-31", 45, "silver"], ["2026-02-28", 66, "gold"]]);
    assert.equal(await page.$eval('#history-account option[value="x1"]', (o) => o.textContent), `${evil} · x1`, "the name is shown as text");
    assert.equal(await page.evaluate(() => document.querySelector("#timeline svg title")?.textContent), `${evil} (x1): score over time`);
    assert.equal(await page.evaluate(() => document.querySelectorAll(".history-wrap img, .history-wrap script").length), 0, "no markup from the data");
    assert.equal(await page.evaluate(() => window.__xss), undefined, "no script from the data ran");

    // Errors are shown on the page with the file and the line, and nothing is charted.
    const undated = path.join(tmp, "accounts.csv");
    await writeFile(undated, readFileSync(paths[1], "utf8"));
    const dup = path.join(tmp, `copy-${picked[0].date}.csv`);
    await writeFile(dup, readFileSync(paths[0], "utf8"));
    await page.setInputFiles("#history-files", [paths[0], undated, dup]);
    await page.waitForSelector("#history-errors:not([hidden])");
    const errors = await page.$$eval("#history-errors .warning", (w) => w.map((x) => [x.getAttribute("data-file"), x.textContent]));
    log("history errors:", JSON.stringify(errors));
    assert.ok(errors.some(([f, t]) => f === "accounts.csv" && /no snapshot date/.test(t)), "a file with no date is named");
    assert.ok(errors.some(([f, t]) => f === path.basename(dup) && t.includes(`the snapshot of ${picked[0].date} is given twice`) && t.includes(picked[0].file)), "a duplicate date names both files");
    assert.ok(await page.locator("#history-charts").isHidden(), "nothing charted");
    // A bad row: the core's error, at its file and line.
    const lines = readFileSync(paths[1], "utf8").split("\n");
    const head = Papa.parse(lines[0]).data[0];
    const cells = Papa.parse(lines[2]).data[0];
    cells[head.indexOf("tier")] = "golden";
    lines[2] = Papa.unparse([cells]);
    const bad = path.join(tmp, picked[1].file);
    await writeFile(bad, lines.join("\n"));
    await page.setInputFiles("#history-files", [paths[0], bad]);
    await page.waitForFunction(() => document.querySelector("#history-errors .warning")?.textContent?.includes("not a tier"));
    const [[file, text]] = await page.$$eval("#history-errors .warning", (w) => w.map((x) => [x.getAttribute("data-file"), x.textContent]));
    assert.equal(file, picked[1].file);
    assert.match(text, new RegExp(`^${picked[1].file}, line 3: .*not a tier \\(value golden\\)`), text);
    // A row with the wrong number of cells.
    await writeFile(bad, `${lines[0]}\n${lines[1]}\nonly,three,cells\n`);
    await page.setInputFiles("#history-files", [bad]);
    await page.waitForFunction(() => document.querySelector("#history-errors .warning")?.textContent?.includes("cells"));
    assert.match(await page.textContent("#history-errors"), new RegExp(`${picked[1].file}, line 3: the row has 3 cells`));
    // And a good load after the errors charts again.
    await page.setInputFiles("#history-files", paths);
    await page.waitForSelector("#history-errors", { state: "hidden" });
    assertTierMix(await pageTierMix(page), picked);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  log("history: tier mix and timeline match the files; errors shown with file and line");
}

async function main() {
  assert.ok(existsSync(path.join(DIST, "index.html")), `build the page first (${DIST})`);
  const expectedNode = fromNode(Model.default());
  const expectedCli = fromCli();

  const server = await serve(DIST);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = await mkdtemp(path.join(tmpdir(), "advocacy-chromium-"));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
    viewport: { width: 1480, height: 1040 },
  });
  const requests = [];
  context.on("request", (r) => requests.push({ url: r.url(), method: r.method(), post: r.postData() }));
  const page = context.pages()[0] ?? (await context.newPage());
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));

  try {
    await page.goto(`${origin}/`, { waitUntil: "load" });
    await page.waitForSelector('body[data-ready="true"]', { timeout: 20_000 });
    const beforeLoad = requests.length;

    // 1. Load the sample; compare with the CLI and the Node build.
    await page.click("#sample");
    await page.waitForSelector("#rows tr[data-row]", { timeout: 20_000 });
    const s1 = await pageState(page);
    const top1 = s1.rows.slice(0, TOP);
    log("top candidates in the page:", top1.map((r) => `${r[0]} ${r[1]} ${r[2]}`).join(", "));
    log("tier counts in the page:", JSON.stringify(s1.counts));
    assert.equal(s1.rows.length, expectedNode.ids.length, "every account is listed");
    assert.deepEqual(top1, expectedNode.top, "top candidates = Node build");
    assert.deepEqual(s1.counts, expectedNode.counts, "tier counts = Node build");
    if (expectedCli) {
      assert.deepEqual(top1, expectedCli.top, "top candidates = advocacy CLI");
      assert.deepEqual(s1.counts, expectedCli.counts, "tier counts = advocacy CLI");
      log("matches the advocacy CLI");
    }

    // The explanation panel shows the selected (top) account.
    await page.waitForSelector("#explain ul.criteria li");
    const explained = await page.textContent("#explain");
    for (const part of ["Criteria", "Missing signals", "Next tier", "Outreach"]) {
      assert.ok(explained.includes(part), `explanation shows ${part}`);
    }

    // 2. Edit a weight: brand strength worth 60 points re-ranks live.
    const input = page.locator('input[data-criterion="brand_strength"]');
    await input.fill("60");
    await page.waitForTimeout(100);
    const s2 = await pageState(page);
    const changed = Model.default().withPoints("brand_strength", 60);
    const expected2 = fromNode(changed);
    changed.free();
    assert.notDeepEqual(s2.rows.slice(0, TOP).map((r) => r[0]), top1.map((r) => r[0]), "the ranking changed");
    assert.deepEqual(s2.rows.slice(0, TOP), expected2.top, "new ranking = Node build with the same model");
    assert.deepEqual(s2.counts, expected2.counts, "new tier counts = Node build with the same model");
    log("after brand_strength = 60:", s2.rows.slice(0, 5).map((r) => `${r[0]} ${r[1]}`).join(", "));

    // A bad edit is reported and the page keeps the last good model.
    await input.fill("-5");
    await page.waitForSelector("#model-error:not([hidden])");
    assert.match(await page.textContent("#model-error"), /points/);
    await input.fill("60");
    await page.waitForSelector("#model-error", { state: "hidden" });

    // Targets re-score too: target industry of the sample's first account.
    await page.fill('input[data-target="industries"]', "software, retail");
    await page.waitForTimeout(100);
    await input.fill("5");
    await page.waitForTimeout(100);
    const s3 = await pageState(page);
    const targeted = Model.default().withTargets({ industries: ["software", "retail"] });
    assert.deepEqual(s3.rows.slice(0, TOP), fromNode(targeted).top, "targets re-score live");
    targeted.free();

    // 2b. A CRM export through "Choose CSV": the mapping is shown, one column is corrected,
    //     and the scores equal the CLI's for the same file and mapping.
    const tmp = await mkdtemp(path.join(tmpdir(), "advocacy-crm-"));
    const crm = path.join(tmp, "crm_accounts.csv");
    await writeFile(crm, CRM_CSV);
    await page.fill('input[data-criterion="brand_strength"]', "5");
    await page.fill('input[data-target="industries"]', "");
    await page.click("#reset");
    await page.setInputFiles("#file", crm);
    await page.waitForFunction(() => document.querySelector("#columns-source")?.textContent?.startsWith("crm_accounts.csv"));
    await page.waitForSelector("#rows tr[data-row]");
    const auto = await pageColumns(page);
    log("columns read as:", JSON.stringify(auto));
    assert.deepEqual(auto, {
      "Account ID": "id",
      "Account Name": "name",
      NPS: "nps",
      "Health Score": "health_score",
      "ROI Achieved": "roi_achieved",
      Segment: "segment",
      "CSM Rating": "ignore",
      Owner: "ignore",
    });
    const autoPage = await pageScores(page);
    const autoCli = cliCsvScores(crm);
    if (autoCli) assert.deepEqual(autoPage, autoCli, "CRM file, automatic mapping = advocacy CLI");
    // The bad row is reported with its line and the core's reason, not scored as 0.
    const problems = await page.textContent("#problems");
    assert.match(problems, /line 8: .*signal `nps`: value 11 is out of range/);
    // Correct one column: CSM Rating holds the CSM rapport.
    await page.selectOption('select[data-header="CSM Rating"]', "csm_rapport");
    await page.waitForFunction(() => document.querySelector('#columns-rows tr[data-header="CSM Rating"]')?.dataset.role === "csm_rapport");
    const mappingFile = path.join(tmp, "crm.columns.json");
    await writeFile(mappingFile, JSON.stringify({ columns: { "CSM Rating": "csm_rapport" } }));
    const edited = await pageScores(page);
    const editedCli = cliCsvScores(crm, mappingFile);
    log("CRM scores after the edit:", JSON.stringify(edited));
    if (editedCli) {
      assert.deepEqual(edited, editedCli, "CRM file, edited mapping = advocacy CLI --columns");
      log("CRM scores match the advocacy CLI");
    }
    const expectedEdited = Model.default().scoreBatch(
      Model.default().recordsFromCells(...((rows) => [rows[0], rows.slice(1)])(Papa.parse(CRM_CSV).data), { columns: { columns: { "CSM Rating": "csm_rapport" } } }),
      { onError: "flag" },
    );
    assert.equal(edited["ACC-1"][0], expectedEdited.total[0], "the edit re-scored (ACC-1)");
    assert.notDeepEqual(edited, autoPage, "the edit changed the scores");
    // The mapping is remembered for the next file with the same headers.
    await page.click("#sample");
    await page.waitForFunction(() => document.querySelector("#columns-source")?.textContent?.startsWith("sample"));
    const again = path.join(tmp, "crm_accounts_december.csv");
    await writeFile(again, CRM_CSV);
    await page.setInputFiles("#file", again);
    await page.waitForFunction(() => document.querySelector("#columns-source")?.textContent?.startsWith("crm_accounts_december.csv"));
    assert.equal((await pageColumns(page))["CSM Rating"], "csm_rapport", "the mapping is remembered");
    assert.deepEqual(await pageScores(page), edited, "same file, same mapping, same scores");
    await page.evaluate(() => window.scrollTo(0, 0));
    await mkdir(ARTIFACTS, { recursive: true });
    const shotColumns = path.join(ARTIFACTS, "wasm-page-columns.png");
    await page.screenshot({ path: shotColumns, fullPage: false });
    log("screenshot:", shotColumns);
    // A file with no column the model reads is never scored as zeros: the core's error is shown.
    const foreign = path.join(tmp, "kunden.csv");
    await writeFile(foreign, "Kunde,Zufriedenheit\nA,9\nB,3\n");
    await page.setInputFiles("#file", foreign);
    await page.waitForSelector("#table-error:not([hidden])");
    assert.match(await page.textContent("#table-error"), /no column holds a signal the model reads/);
    assert.equal(await page.locator("#rows tr[data-row]").count(), 0, "nothing scored");
    await rm(tmp, { recursive: true, force: true });

    // Back to the sample. Pick an account lower down for the screenshot.
    await page.click("#sample");
    await page.waitForSelector("#rows tr[data-row]");
    await page.fill('input[data-target="industries"]', "software, retail");
    await page.waitForTimeout(100);
    await page.click('#rows tr[data-tier="gold"]');
    await page.waitForTimeout(150);
    const picked = await page.getAttribute('#rows tr[data-tier="gold"]', "data-id");
    assert.equal(await page.textContent("#explain .ex-head .small"), picked, "the clicked account is explained");
    await page.evaluate(() => window.scrollTo(0, 0));
    await mkdir(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, "wasm-page.png");
    await page.screenshot({ path: shot, fullPage: false });
    log("screenshot:", shot);

    // 3. No request carries account data: every request goes to the page's own server, is a GET
    //    without a body, and names no account; after the page loaded, only the sample was fetched.
    for (const r of requests) {
      assert.ok(r.url.startsWith(`${origin}/`), `request to another origin: ${r.url}`);
      assert.equal(r.method, "GET", `${r.method} ${r.url}`);
      assert.ok(!r.post, `request with a body: ${r.url}`);
      for (const id of expectedNode.ids) assert.ok(!r.url.includes(id), `request names account ${id}: ${r.url}`);
    }
    const after = requests.slice(beforeLoad).map((r) => new URL(r.url).pathname);
    assert.ok(after.length > 0 && after.every((p) => p === "/samples/accounts.csv"), `after load, the only requests are the bundled sample: ${after}`);
    log(`${requests.length} requests, all GETs of the page's own files`);

    // 4. History: several scored snapshots (samples/history/YYYY-MM-DD.csv, the CLI's
    //    `score --format csv --order input`) charted as the tier mix over time and an account's
    //    timeline; the expected values are read from the files here, independently of the page.
    const beforeHistory = requests.length;
    await history(page);
    for (const r of requests.slice(beforeHistory)) {
      const p = new URL(r.url).pathname;
      assert.ok(r.url.startsWith(`${origin}/`) && r.method === "GET" && !r.post, `history request: ${r.method} ${r.url}`);
      assert.ok(p.startsWith("/samples/history/") || p.startsWith("/assets/"), `history: only the sample history and the program module are fetched: ${p}`);
    }
    // 4b. The language selector: the model's labels and tier names in German, the program module
    //    loaded on first use from the page's own files, and the same scores.
    const scoresBefore = await pageScores(page);
    const requestsBefore = requests.length;
    await page.selectOption("#lang", "de");
    await page.waitForSelector('body[data-lang="de"]', { timeout: 20_000 });
    await page.waitForTimeout(150);
    const form = await page.textContent("#model-form");
    assert.match(form, /Zufriedenheit und Erfolg/, "German category labels");
    assert.match(form, /Health Score über 80/, "German criterion labels");
    assert.match(await page.textContent("#rows"), /Noch nicht qualifiziert|Gold|Platinum/, "tier badges");
    assert.deepEqual(await pageScores(page), scoresBefore, "the language changes no score");
    for (const r of requests.slice(requestsBefore)) {
      assert.ok(r.url.startsWith(`${origin}/`) && r.method === "GET" && !r.post, `language switch request: ${r.url}`);
    }
    await page.selectOption("#lang", "en");
    await page.waitForSelector('body[data-lang="en"]', { timeout: 20_000 });
    assert.match(await page.textContent("#model-form"), /Satisfaction and success/, "back to English");
    log("language selector: de and back to en, same scores");
    assert.deepEqual(consoleErrors, [], "no errors in the browser console");
  } finally {
    await context.close();
    server.close();
    await rm(userDataDir, { recursive: true, force: true });
  }
  log("ok");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
