// Writes docs/proof/engine.md (to stdout) from the JSON lines of scripts/bench.sh.
// Usage: node report.js RESULTS_FILE full|quick
'use strict';
const fs = require('fs');
const os = require('os');
const { execSync } = require('child_process');

const [file, mode] = process.argv.slice(2);
const rows = fs
  .readFileSync(file, 'utf8')
  .split('\n')
  .filter((l) => l.startsWith('{'))
  .map((l) => JSON.parse(l));
const get = (target, policy, n) => rows.find((r) => r.target === target && r.policy === policy && r.replicas === n);
const phase = (r, p) => r && r.phases.find((x) => x.phase === p);
const secs = (r, p) => (r ? (p ? phase(r, p).seconds : r.phases.reduce((a, x) => a + x.seconds, 0)) : NaN);
const steps = (r) => (r ? r.phases.reduce((a, x) => a + x.steps, 0) : NaN);
const f3 = (x) => (Number.isFinite(x) ? x.toFixed(3) : '–');
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const mb = (b) => (Number.isFinite(b) ? (b / 1e6).toFixed(1) : '–');

const cpu = (() => {
  try {
    const m = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/);
    return m ? m[1].trim() : os.cpus()[0].model;
  } catch (e) {
    return os.cpus()[0].model;
  }
})();
const nproc = (() => {
  try {
    return execSync('nproc').toString().trim();
  } catch (e) {
    return String(os.cpus().length);
  }
})();
const rustc = (() => {
  try {
    return execSync('rustc --version').toString().trim();
  } catch (e) {
    return 'unknown';
  }
})();

const sizes = [...new Set(rows.map((r) => r.replicas))].sort((a, b) => a - b);
const policies = ['Parallel', 'OrderedReady'];
const out = [];
out.push('# Engine performance');
out.push('');
out.push(`Written by \`scripts/bench.sh${mode === 'quick' ? ' --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}; do not edit by hand.`);
out.push('');
out.push(`Machine: ${nproc} cores (\`nproc\`), ${cpu}; ${rustc}; node ${process.version}. The machine is shared with other`);
out.push('jobs, so wall times vary by ±20% between runs; steps and digests do not vary at all.');
out.push('');
out.push('Scenarios (`stsplay_cluster::bench`, the same code natively and in wasm): on the default cluster, a StatefulSet');
out.push('`web` is created and run until every pod is Running and Ready (**create**), its image is changed and it runs');
out.push('until every pod is updated (**rollout**), then it is scaled to 0 and runs until no pod is left (**scale-to-0**).');
out.push('Wall time is per phase; *steps* are actions the simulation processed (`World::steps`); peak heap is the');
out.push('high-water mark of live heap bytes from a counting allocator (native and wasm alike); wasm memory is the');
out.push('linear memory size at the end (it never shrinks). Native: `cargo bench` profile (opt-level 3); wasm: the');
out.push('shipped release profile (opt-level "z", lto), `wasm-bindgen --target nodejs`. Equal digests mean the native');
out.push('and the wasm run simulated exactly the same thing.');
out.push('');
out.push('| policy | replicas | target | create s | rollout s | scale-to-0 s | total s | steps | peak heap MB | wasm memory MB | digest |');
out.push('|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---|');
for (const n of sizes) {
  for (const p of policies) {
    for (const t of ['native', 'wasm']) {
      const r = get(t, p, n);
      if (!r) continue;
      const bad = r.phases.some((x) => !x.ok) ? ' (goal NOT reached)' : '';
      out.push(
        `| ${p} | ${n.toLocaleString('en-US')} | ${t} | ${f3(secs(r, 'create'))} | ${f3(secs(r, 'rollout'))} | ${f3(secs(r, 'scale-to-0'))} | ${f3(secs(r))} | ${steps(r)} | ${mb(r.peak_heap_bytes)} | ${t === 'wasm' ? mb(r.wasm_memory_bytes) : '–'} | \`${r.digest}\`${bad} |`,
      );
    }
  }
}
out.push('');
out.push('## Ratios');
out.push('');
out.push('| policy | replicas | wasm / native (total) | native growth ×10 replicas | wasm growth ×10 replicas | digests equal |');
out.push('|---|---:|---:|---:|---:|---|');
for (const n of sizes) {
  for (const p of policies) {
    const nat = get('native', p, n);
    const was = get('wasm', p, n);
    const natPrev = get('native', p, n / 10);
    const wasPrev = get('wasm', p, n / 10);
    out.push(
      `| ${p} | ${n.toLocaleString('en-US')} | ${f1(secs(was) / secs(nat))} | ${natPrev ? f1(secs(nat) / secs(natPrev)) : '–'} | ${wasPrev ? f1(secs(was) / secs(wasPrev)) : '–'} | ${nat && was ? (nat.digest === was.digest ? 'yes' : '**no**') : '–'} |`,
    );
  }
}
out.push('');
out.push('## Targets');
out.push('');
const verdict = (ok) => (ok === undefined ? 'not measured (run `scripts/bench.sh` without `--quick`)' : ok ? '**met**' : '**not met**');
const big = 10000;
const t1 = policies.map((p) => get('native', p, big)).every((r) => r) ?
  policies.every((p) => secs(get('native', p, big), 'create') + secs(get('native', p, big), 'rollout') <= 1) : undefined;
const t1v = policies.map((p) => (get('native', p, big) ? `${p} ${f3(secs(get('native', p, big), 'create') + secs(get('native', p, big), 'rollout'))} s` : null)).filter(Boolean).join(', ');
const ratios = [];
for (const n of sizes) for (const p of policies) if (get('native', p, n) && get('wasm', p, n)) ratios.push(secs(get('wasm', p, n)) / secs(get('native', p, n)));
const t2 = ratios.length ? ratios.every((x) => x <= 2) : undefined;
const growth = [];
for (const p of policies) {
  const hi = Math.max(...sizes);
  const a = get('native', p, hi / 10);
  const b = get('native', p, hi);
  if (a && b && hi >= 1000) growth.push([p, hi, secs(b) / secs(a)]);
}
const t3 = growth.length ? growth.every((g) => g[2] <= 12) : undefined;
out.push(`- 10,000-replica create + full rollout ≤ 1 s natively: ${verdict(t1)}${t1v ? ` (${t1v})` : ''}.`);
out.push(`- wasm ≤ 2× native: ${verdict(t2)}${ratios.length ? ` (ratios ${Math.min(...ratios).toFixed(1)}–${Math.max(...ratios).toFixed(1)}×)` : ''}.`);
out.push(
  `- growth ≤ 12× for 10× replicas (native, total): ${verdict(t3)}${growth.length ? ` (${growth.map((g) => `${g[0]} ${(g[1] / 10).toLocaleString('en-US')}→${g[1].toLocaleString('en-US')}: ${g[2].toFixed(1)}×`).join(', ')})` : ''}.`,
);
out.push('');

out.push('');

out.push('');
out.push(fs.readFileSync(require('path').join(__dirname, 'history.md'), 'utf8').trim());
out.push('');
process.stdout.write(out.join('\n'));
