#!/usr/bin/env node
// Validates the demo knowledge-base content against the shared file format
// (/work/briefs/kb-format.md, mirrored in docs when merged): articles in data/kb/demo/*.md,
// branches in data/kb/demo/branches.json and the search-quality query set bench/kb-queries.tsv.
// R-AGT-3: the knowledge base is versioned with effective dates, so version chains are checked too.
//
// Usage: node scripts/check-kb-demo.mjs [repo-root]
// Prints one `FILE:LINE: reason` per problem and exits 1 if there is any; otherwise prints a summary
// and exits 0. Node 20, no dependencies.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const kbDir = join(root, 'data/kb/demo');
const queriesPath = join(root, 'bench/kb-queries.tsv');
const branchesPath = join(kbDir, 'branches.json');

const TOP_CATEGORIES = new Set(['缴存', '提取', '贷款', '转移接续', '政策法规', '网点与联系方式', '常见问题', '单位业务', '线上服务']);
const AUDIENCES = new Set(['individual', 'unit', 'all']);
const SCOPES = new Set(['center', 'province']);
const KEYS = ['slug', 'title', 'category', 'tags', 'keywords', 'audience', 'scope', 'effective_from', 'expires_at'];
const REQUIRED_VALUE = new Set(['slug', 'title', 'category', 'audience', 'scope', 'effective_from']);
const SLUG_RE = /^[a-z0-9]+(-[a-z0-9]+)*$/;
const FILE_RE = /^([a-z0-9]+(?:-[a-z0-9]+)*)(?:@([1-9][0-9]*))?\.md$/;
// Body length bounds (non-whitespace characters) for the demo content: long enough to be useful when
// read to a caller, short enough to be read in one go.
const BODY_MIN = 150;
const BODY_MAX = 600;
const BRANCH_SERVICES = new Set(['缴存', '提取', '贷款', '转移接续', '单位业务', '咨询', '自助服务']);
// Bounding box of Lanzhou municipality (including 永登, 榆中, 兰州新区) with a small margin.
const LAT = [35.3, 37.3];
const LNG = [102.4, 104.7];

const problems = [];
const report = (file, line, reason) => problems.push(`${relative(root, file)}:${line}: ${reason}`);

function isDate(s) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

function splitList(v) {
  return v === '' ? [] : v.split(/[,、]/).map((s) => s.trim());
}

// ---- articles -------------------------------------------------------------------------------------
function parseArticle(file) {
  const text = readFileSync(file, 'utf8');
  if (text.charCodeAt(0) === 0xfeff) report(file, 1, 'file starts with a byte-order mark');
  if (text.includes('\r')) report(file, 1, 'CRLF line endings (use LF)');
  const lines = text.replace(/\r/g, '').split('\n');
  if (lines[0] !== '---') {
    report(file, 1, 'front matter must start with a "---" line');
    return null;
  }
  const end = lines.indexOf('---', 1);
  if (end < 0) {
    report(file, 1, 'front matter is not closed by a "---" line');
    return null;
  }
  const meta = {};
  const lineOf = {};
  for (let i = 1; i < end; i++) {
    const l = lines[i];
    const m = /^([a-z_]+):(?: (.*))?$/.exec(l);
    if (!m) {
      report(file, i + 1, `malformed front matter line "${l}" (expected "key: value")`);
      continue;
    }
    const [, key, raw = ''] = m;
    if (!KEYS.includes(key)) report(file, i + 1, `unknown front matter key "${key}"`);
    if (key in meta) report(file, i + 1, `duplicate front matter key "${key}"`);
    meta[key] = raw.trim();
    lineOf[key] = i + 1;
  }
  for (const k of KEYS) {
    if (!(k in meta)) report(file, end + 1, `missing front matter key "${k}"`);
    else if (REQUIRED_VALUE.has(k) && meta[k] === '') report(file, lineOf[k], `"${k}" must not be empty`);
  }
  return { file, meta, lineOf, lines, bodyStart: end + 1 };
}

function checkArticle(a) {
  const { file, meta, lineOf } = a;
  const name = file.split('/').pop();
  const fm = FILE_RE.exec(name);
  if (!fm) report(file, 1, `file name "${name}" must be <slug>.md or <slug>@N.md with slug [a-z0-9-]+ and N >= 2`);
  else if (fm[2] === '1') report(file, 1, 'the first version has no @1 suffix: name it <slug>.md');
  a.fileSlug = fm ? fm[1] : null;
  a.version = fm && fm[2] ? +fm[2] : 1;

  if (meta.slug !== undefined && meta.slug !== '') {
    if (!SLUG_RE.test(meta.slug)) report(file, lineOf.slug, `slug "${meta.slug}" must match [a-z0-9-]+ (no leading, trailing or double "-")`);
    if (a.fileSlug && meta.slug !== a.fileSlug) report(file, lineOf.slug, `slug "${meta.slug}" does not match file name "${name}"`);
  }
  if (meta.title) {
    if (!/[？?]$/.test(meta.title)) report(file, lineOf.title, 'title must be a question as a caller asks it (end with "？")');
    if ([...meta.title].length > 60) report(file, lineOf.title, 'title longer than 60 characters');
  }
  if (meta.category) {
    const levels = meta.category.split('/');
    if (levels.some((l) => l.trim() === '' || l !== l.trim())) report(file, lineOf.category, `category "${meta.category}" has an empty or padded level`);
    if (!TOP_CATEGORIES.has(levels[0])) report(file, lineOf.category, `category top level "${levels[0]}" is not one of ${[...TOP_CATEGORIES].join(' ')}`);
  }
  for (const k of ['tags', 'keywords']) {
    if (meta[k] === undefined) continue;
    if (meta[k].includes('，')) report(file, lineOf[k], `${k} uses a full-width comma "，": separate with "," or "、"`);
    const items = splitList(meta[k]);
    if (items.some((s) => s === '')) report(file, lineOf[k], `${k} has an empty item`);
    const seen = new Set();
    for (const s of items) {
      if (s !== '' && seen.has(s)) report(file, lineOf[k], `${k} repeats "${s}"`);
      seen.add(s);
    }
  }
  if (meta.audience && !AUDIENCES.has(meta.audience)) report(file, lineOf.audience, `audience "${meta.audience}" must be individual, unit or all`);
  if (meta.scope && !SCOPES.has(meta.scope)) report(file, lineOf.scope, `scope "${meta.scope}" must be center or province`);
  if (meta.effective_from && !isDate(meta.effective_from)) report(file, lineOf.effective_from, `effective_from "${meta.effective_from}" is not a valid YYYY-MM-DD date`);
  if (meta.expires_at && !isDate(meta.expires_at)) report(file, lineOf.expires_at, `expires_at "${meta.expires_at}" is not a valid YYYY-MM-DD date`);
  if (isDate(meta.effective_from ?? '') && isDate(meta.expires_at ?? '') && meta.expires_at <= meta.effective_from) {
    report(file, lineOf.expires_at, `expires_at ${meta.expires_at} must be after effective_from ${meta.effective_from} (exclusive end)`);
  }
  checkBody(a);
}

function checkBody(a) {
  const { file, lines, bodyStart } = a;
  const body = lines.slice(bodyStart);
  const chars = [...body.join('').replace(/\s/g, '')].length;
  if (chars === 0) report(file, bodyStart + 1, 'empty body');
  else if (chars < BODY_MIN) report(file, bodyStart + 1, `body has ${chars} characters, fewer than ${BODY_MIN}`);
  else if (chars > BODY_MAX) report(file, bodyStart + 1, `body has ${chars} characters, more than ${BODY_MAX}`);
  let tableCols = 0; // columns of the current table's header row, 0 outside a table
  let tableRow = 0; // 1-based row index inside the current table
  body.forEach((l, i) => {
    const n = bodyStart + i + 1;
    if (/^#/.test(l) && !/^#{2,3} \S/.test(l)) report(file, n, 'only "## " and "### " headings are allowed in the body');
    if (/^---\s*$/.test(l)) report(file, n, 'a "---" line in the body (front matter delimiter or thematic break) is not allowed');
    if (/^\s*[*+] /.test(l)) report(file, n, 'use "-" for bullet lists');
    if (/^\s+\S/.test(l)) report(file, n, 'indented line: nested lists and indented code are outside the supported Markdown subset');
    if (/\s+$/.test(l)) report(file, n, 'trailing whitespace');
    if (l.includes('\t')) report(file, n, 'tab character in body');
    if ((l.match(/\*\*/g) ?? []).length % 2 === 1) report(file, n, 'unbalanced "**" bold marker');
    if (!/^\|/.test(l)) {
      tableCols = 0;
      tableRow = 0;
      return;
    }
    if (!/^\|.*\|$/.test(l)) report(file, n, 'table row must start and end with "|"');
    const cols = l.replace(/^\|/, '').replace(/\|$/, '').split('|').length;
    tableRow++;
    if (tableRow === 1) {
      tableCols = cols;
      if (/^\|(\s*:?-+:?\s*\|)+$/.test(l)) report(file, n, 'table starts with a delimiter row: a header row must come first');
      return;
    }
    if (tableRow === 2 && !/^\|(\s*:?-+:?\s*\|)+$/.test(l)) report(file, n, 'second table row must be the delimiter row (|---|---|)');
    if (cols !== tableCols) report(file, n, `table row has ${cols} columns, header has ${tableCols}`);
  });
}

function checkVersions(articles) {
  const bySlug = new Map();
  for (const a of articles) {
    if (!a.fileSlug) continue;
    if (!bySlug.has(a.fileSlug)) bySlug.set(a.fileSlug, []);
    bySlug.get(a.fileSlug).push(a);
  }
  const versioned = [];
  for (const [slug, list] of bySlug) {
    list.sort((x, y) => x.version - y.version);
    if (list.length === 1 && list[0].version === 1) continue;
    versioned.push(slug);
    list.forEach((a, i) => {
      if (a.version !== i + 1) report(a.file, 1, `version chain of "${slug}" has a gap: expected ${i === 0 ? `${slug}.md` : `${slug}@${i + 1}.md`}`);
    });
    for (let i = 0; i + 1 < list.length; i++) {
      const cur = list[i];
      const next = list[i + 1];
      const ef = cur.meta.effective_from;
      const nf = next.meta.effective_from;
      if (!isDate(ef ?? '') || !isDate(nf ?? '')) continue;
      if (nf <= ef) report(next.file, next.lineOf.effective_from, `effective_from ${nf} must be later than the previous version's ${ef}`);
      if (cur.meta.expires_at !== nf) {
        report(cur.file, cur.lineOf.expires_at ?? 1, `expires_at must equal the next version's effective_from ${nf} (found "${cur.meta.expires_at ?? ''}")`);
      }
    }
  }
  return { bySlug, versioned };
}

// ---- branches --------------------------------------------------------------------------------------
function checkBranches() {
  if (!existsSync(branchesPath)) {
    report(branchesPath, 1, 'missing branches file');
    return 0;
  }
  const text = readFileSync(branchesPath, 'utf8');
  let data;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const pos = /position (\d+)/.exec(e.message);
    const line = pos ? text.slice(0, +pos[1]).split('\n').length : 1;
    report(branchesPath, line, `invalid JSON: ${e.message}`);
    return 0;
  }
  if (!Array.isArray(data)) {
    report(branchesPath, 1, 'top level must be a JSON array');
    return 0;
  }
  const lineOfCode = (code) => {
    const idx = text.search(new RegExp(`"code"\\s*:\\s*"${String(code).replace(/[^\w-]/g, '\\$&')}"`));
    return idx < 0 ? 1 : text.slice(0, idx).split('\n').length;
  };
  const keys = ['code', 'name', 'address', 'phone', 'hours', 'services', 'lat', 'lng', 'scope'];
  const codes = new Set();
  data.forEach((b, i) => {
    const line = b && typeof b === 'object' ? lineOfCode(b.code) : 1;
    const at = `branch #${i + 1}`;
    if (!b || typeof b !== 'object' || Array.isArray(b)) {
      report(branchesPath, line, `${at} is not an object`);
      return;
    }
    for (const k of Object.keys(b)) if (!keys.includes(k)) report(branchesPath, line, `${at}: unknown key "${k}"`);
    for (const k of keys) if (!(k in b)) report(branchesPath, line, `${at}: missing key "${k}"`);
    for (const k of ['code', 'name', 'address', 'phone', 'hours', 'scope']) {
      if (k in b && (typeof b[k] !== 'string' || b[k].trim() === '')) report(branchesPath, line, `${at}: "${k}" must be a non-empty string`);
    }
    if (typeof b.code === 'string') {
      if (!/^[A-Z]{2}-[A-Z0-9]+$/.test(b.code)) report(branchesPath, line, `${at}: code "${b.code}" must look like LZ-CG`);
      if (codes.has(b.code)) report(branchesPath, line, `${at}: duplicate code "${b.code}"`);
      codes.add(b.code);
    }
    if (typeof b.phone === 'string' && !/^0931-\d{7}$/.test(b.phone)) report(branchesPath, line, `${at}: phone "${b.phone}" must be 0931-xxxxxxx`);
    if (typeof b.name === 'string' && !/(网点|大厅|分中心|营业部)$/.test(b.name)) report(branchesPath, line, `${at}: name "${b.name}" should end with 网点/大厅/分中心/营业部`);
    if ('services' in b) {
      if (!Array.isArray(b.services) || b.services.length === 0) report(branchesPath, line, `${at}: services must be a non-empty array`);
      else for (const s of b.services) if (!BRANCH_SERVICES.has(s)) report(branchesPath, line, `${at}: unknown service "${s}" (allowed: ${[...BRANCH_SERVICES].join(' ')})`);
    }
    if ('lat' in b && (typeof b.lat !== 'number' || b.lat < LAT[0] || b.lat > LAT[1])) report(branchesPath, line, `${at}: lat ${b.lat} is not within Lanzhou`);
    if ('lng' in b && (typeof b.lng !== 'number' || b.lng < LNG[0] || b.lng > LNG[1])) report(branchesPath, line, `${at}: lng ${b.lng} is not within Lanzhou`);
    if ('scope' in b && !SCOPES.has(b.scope)) report(branchesPath, line, `${at}: scope "${b.scope}" must be center or province`);
  });
  return data.length;
}

// ---- queries ---------------------------------------------------------------------------------------
function checkQueries(slugs) {
  if (!existsSync(queriesPath)) {
    report(queriesPath, 1, 'missing query set');
    return 0;
  }
  const lines = readFileSync(queriesPath, 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines[0] !== 'query\texpected_slug') report(queriesPath, 1, 'header must be "query<TAB>expected_slug"');
  const seen = new Map();
  let n = 0;
  lines.slice(1).forEach((l, i) => {
    const line = i + 2;
    const f = l.split('\t');
    if (f.length !== 2) {
      report(queriesPath, line, `expected 2 tab-separated fields, found ${f.length}`);
      return;
    }
    const [q, slug] = f;
    n++;
    if (q.trim() === '' || q !== q.trim()) report(queriesPath, line, 'query is empty or has leading/trailing spaces');
    if (!slugs.has(slug)) report(queriesPath, line, `expected slug "${slug}" has no article`);
    if (seen.has(q)) report(queriesPath, line, `duplicate query (first on line ${seen.get(q)})`);
    seen.set(q, line);
  });
  return n;
}

// ---- main ------------------------------------------------------------------------------------------
if (!existsSync(kbDir)) {
  console.error(`${relative(root, kbDir) || kbDir}:1: knowledge-base directory is missing`);
  process.exit(1);
}
const files = readdirSync(kbDir).filter((f) => f.endsWith('.md')).sort();
for (const f of readdirSync(kbDir)) {
  if (!f.endsWith('.md') && f !== 'branches.json') report(join(kbDir, f), 1, 'unexpected file in the knowledge-base directory');
}
const articles = [];
for (const f of files) {
  const a = parseArticle(join(kbDir, f));
  if (a) {
    checkArticle(a);
    articles.push(a);
  }
}
const { bySlug, versioned } = checkVersions(articles);
const branchCount = checkBranches();
const queryCount = checkQueries(new Set(bySlug.keys()));

if (problems.length) {
  for (const p of problems) console.log(p);
  console.log(`${problems.length} problem(s)`);
  process.exit(1);
}
const today = new Date().toISOString().slice(0, 10);
const perTop = {};
for (const [, list] of bySlug) {
  const top = list[0].meta.category.split('/')[0];
  perTop[top] = (perTop[top] ?? 0) + 1;
}
const future = [...bySlug].filter(([, l]) => l.every((a) => a.meta.effective_from > today)).map(([s]) => s);
console.log(`ok: ${articles.length} files, ${bySlug.size} articles, ${versioned.length} versioned (${versioned.join(', ')}), ` +
  `${future.length} not yet effective (${future.join(', ')}), ${branchCount} branches, ${queryCount} queries`);
console.log('per category: ' + [...TOP_CATEGORIES].map((c) => `${c} ${perTop[c] ?? 0}`).join(', '));
