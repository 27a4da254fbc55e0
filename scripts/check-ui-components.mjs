#!/usr/bin/env node
// Fails when a console view uses an Element Plus tag (<el-date-picker …>) that is neither registered
// globally in ui/src/element.js nor imported by the view itself: Vue would render it as an unknown
// element, an empty box on the page with no error anywhere (the knowledge-base editor once lost its date
// pickers and category field that way). Run from the repository root: node scripts/check-ui-components.mjs
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = 'ui/src';
const globals = readFileSync(join(root, 'element.js'), 'utf8');
const pascal = (tag) => 'El' + tag.replace(/(^|-)([a-z])/g, (_, __, c) => c.toUpperCase());

function* vueFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* vueFiles(path);
    else if (name.endsWith('.vue')) yield path;
  }
}

const problems = [];
let files = 0;
for (const file of vueFiles(root)) {
  ++files;
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const m of line.matchAll(/<el-([a-z-]+)/g)) {
      const name = pascal(m[1]);
      const known = new RegExp(`\\b${name}\\b`);
      if (!known.test(globals) && !known.test(text))
        problems.push(`${relative('.', file)}:${i + 1}: <el-${m[1]}> is not registered: add ${name} to ui/src/element.js or import it in the view`);
    }
  });
}
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log(`check-ui-components: ${files} views, every <el-*> tag is registered`);
