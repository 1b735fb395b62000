// Replays every tests/scenarios/*/commands with the engine compiled to wasm and checks the transcript is
// byte-identical to the scenario's `expected` (which the native golden test checks too).
// Usage: node golden.js PKG_DIR SCENARIOS_DIR   (PKG_DIR: wasm-bindgen --target nodejs output)
'use strict';
const fs = require('fs');
const path = require('path');

const [pkgDir, scenariosDir] = process.argv.slice(2);
if (!pkgDir || !scenariosDir) {
  console.error('usage: node golden.js PKG_DIR SCENARIOS_DIR');
  process.exit(2);
}
const wasm = require(path.resolve(pkgDir, 'stsplay_wasm_node.js'));

// Every file under the scenario folder, relative path -> text (null for a folder), as DirFiles reads them.
function folderFiles(dir) {
  const files = {};
  const walk = (rel) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        files[r] = null;
        walk(r);
      } else {
        files[r] = fs.readFileSync(path.join(dir, r)).toString('utf8');
      }
    }
  };
  walk('');
  return files;
}

// A readable diff: the first differing line with a few lines of context on both sides.
function diff(expected, got) {
  const a = expected.split('\n');
  const b = got.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 3);
  const out = [`first difference at line ${i + 1}:`];
  for (let k = from; k < i; k++) out.push(`  ${a[k]}`);
  for (let k = i; k < Math.min(a.length, i + 6); k++) out.push(`- ${a[k]}`);
  for (let k = i; k < Math.min(b.length, i + 6); k++) out.push(`+ ${b[k]}`);
  return out.join('\n');
}

const dirs = fs
  .readdirSync(scenariosDir)
  .filter((d) => fs.existsSync(path.join(scenariosDir, d, 'commands')))
  .sort();
let failed = 0;
const t0 = process.hrtime.bigint();
for (const name of dirs) {
  const dir = path.join(scenariosDir, name);
  const script = fs.readFileSync(path.join(dir, 'commands'), 'utf8');
  let seed = '1';
  if (fs.existsSync(path.join(dir, 'seed'))) {
    const s = fs.readFileSync(path.join(dir, 'seed'), 'utf8').trim();
    if (/^\d+$/.test(s)) seed = s;
  }
  const expected = fs.existsSync(path.join(dir, 'expected')) ? fs.readFileSync(path.join(dir, 'expected'), 'utf8') : '';
  const started = process.hrtime.bigint();
  let got;
  try {
    got = wasm.transcript(seed, script, JSON.stringify(folderFiles(dir)));
  } catch (e) {
    got = `<wasm error: ${e && e.message ? e.message : e}>`;
  }
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (got === expected) {
    console.log(`ok   ${name} (${ms.toFixed(0)} ms)`);
  } else {
    failed++;
    console.log(`FAIL ${name} (seed ${seed}): the wasm transcript differs from expected`);
    console.log(diff(expected, got));
  }
}
const total = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`${dirs.length - failed} of ${dirs.length} scenarios byte-identical under wasm (${total.toFixed(1)} s)`);
process.exit(failed === 0 && dirs.length > 0 ? 0 : 1);
