// The engine benchmark under node: the scenarios of stsplay_cluster::bench, timed here with hrtime.
// Usage: node bench.js PKG_DIR POLICY REPLICAS   → one JSON line (same fields as the native bench's --json).
// Run one scenario per process: wasm memory never shrinks, so its size is then that scenario's peak.
'use strict';
const path = require('path');

const [pkgDir, policy, replicas] = process.argv.slice(2);
if (!pkgDir || !policy || !replicas) {
  console.error('usage: node bench.js PKG_DIR Parallel|OrderedReady REPLICAS');
  process.exit(2);
}
const wasm = require(path.resolve(pkgDir, 'stsplay_wasm_node.js'));

const base = wasm.reset_peak_heap();
const b = new wasm.WasmBench(policy, Number(replicas));
const phases = [];
for (const phase of ['create', 'rollout', 'scale-to-0']) {
  const t = process.hrtime.bigint();
  const s = JSON.parse(b.run_phase(phase));
  s.seconds = Number(process.hrtime.bigint() - t) / 1e9;
  phases.push(s);
}
console.log(
  JSON.stringify({
    target: 'wasm',
    policy,
    replicas: Number(replicas),
    phases,
    peak_heap_bytes: wasm.peak_heap() - base,
    wasm_memory_bytes: wasm.memory_bytes(),
    digest: b.digest(),
    node: process.version,
  }),
);
