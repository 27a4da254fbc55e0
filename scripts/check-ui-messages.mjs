#!/usr/bin/env node
// Compiles every console string of every locale with vue-i18n's own message compiler and fails on a
// syntax error: in vue-i18n, `|` separates plural forms, `@` starts a linked message and `{…}` is a
// placeholder, so a hint such as "| 表格 |" breaks the whole form that shows it at run time (the
// knowledge-base editor once lost its body field that way). Literal characters are written {'|'}, {'@'}.
// Run from the repository root after `npm ci` in ui/: node scripts/check-ui-messages.mjs
import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const compilerPath = resolve('ui/node_modules/@intlify/message-compiler/dist/message-compiler.mjs');
const { baseCompile } = await import(pathToFileURL(compilerPath).href);

const problems = [];
let count = 0;
const locales = readdirSync('ui/src/locales').filter((f) => /^[a-z]{2}(-[A-Z]{2})?\.js$/.test(f));
for (const file of locales) {
  const messages = (await import(pathToFileURL(resolve('ui/src/locales', file)).href)).default;
  const walk = (obj, path) => {
    for (const [key, value] of Object.entries(obj)) {
      if (typeof value === 'string') {
        ++count;
        baseCompile(value, {
          onError: (e) => problems.push(`ui/src/locales/${file}: ${path}${key}: ${e.message} in ${JSON.stringify(value)} ` +
            "(write a literal | @ { } as {'|'} {'@'} {'{'} {'}'})"),
        });
      } else if (value && typeof value === 'object') {
        walk(value, `${path}${key}.`);
      }
    }
  };
  walk(messages, '');
}
for (const p of problems) console.error(p);
if (problems.length) process.exit(1);
console.log(`check-ui-messages: ${count} strings in ${locales.join(', ')} compile`);
