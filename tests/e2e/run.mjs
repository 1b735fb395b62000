// End-to-end tests of the built page (dist/), with playwright-core driving Debian's chromium.
//
//   node tests/e2e/run.mjs [DIST]        (scripts/e2e.sh builds the page first)
//
// Each test opens the page in a fresh browser context (empty storage), fails on any request that leaves the
// page's origin and on any console error, and saves screenshots to tests/e2e/artifacts/ (not committed).
// It uses only the page's accessible names (roles and labels), as a screen reader would.

import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdirSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import net from 'node:net';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(process.argv[2] || join(here, '../../dist'));
const artifacts = join(here, 'artifacts');
mkdirSync(artifacts, { recursive: true });
const only = process.env.E2E_ONLY || '';
const metrics = {};

function freePort() {
  return new Promise((res) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => res(p));
    });
  });
}

async function serve(dir) {
  const port = await freePort();
  const proc = spawn('python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', dir], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); r(true); });
      c.on('error', () => r(false));
    });
    if (ok) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { origin: `http://127.0.0.1:${port}`, stop: () => proc.kill() };
}

const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

/** A fresh context with the page's guards: same-origin requests only, no console errors. */
async function guardedPage(browser, origin, problems, name) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin + '/') || url === origin || url.startsWith('data:') || url.startsWith('blob:')) {
      return route.continue();
    }
    problems.push(`[${name}] request left the origin: ${url}`);
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`[${name}] console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`[${name}] page error: ${e.message}`));
  return { context, page };
}

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

async function podLabels(page) {
  return page.getByRole('list', { name: 'Pods' }).getByRole('listitem').evaluateAll((els) =>
    els.map((e) => e.getAttribute('aria-label')));
}

async function podTexts(page) {
  return page.getByRole('list', { name: 'Pods' }).getByRole('listitem').allInnerTexts();
}

async function waitFor(fn, what, timeout = 20000) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeout) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function run(page, line) {
  const input = page.getByRole('textbox', { name: 'Terminal' });
  await input.fill(line);
  await input.press('Enter');
}

async function terminalText(page) {
  return page.getByRole('log', { name: 'Terminal output' }).innerText();
}

/** Plays until the page pauses itself (the cluster settled). */
async function playToCompletion(page) {
  await page.getByRole('button', { name: 'Play' }).click();
  await waitFor(async () => (await page.getByRole('button', { name: 'Play' }).count()) === 1, 'the cluster to settle', 60000);
}

const tests = [];
function test(name, fn) {
  tests.push({ name, fn });
}

test('first visit: fix the seed, apply, ordered creation, scale, partitioned update, rewind, reload, share', async ({ browser, origin, problems }) => {
  const { context, page } = await guardedPage(browser, origin, problems, 'main');
  const t0 = Date.now();
  await page.goto(origin + '/');
  await page.getByRole('textbox', { name: 'Manifest editor' }).waitFor();
  metrics.interactive_ms = Date.now() - t0;

  // The seed's problems, with their lines.
  const problemsList = page.getByRole('list', { name: 'Problems' });
  await waitFor(async () => (await problemsList.getByRole('listitem').count()) > 0, 'problems');
  const items = await problemsList.getByRole('listitem').allInnerTexts();
  assert(items.every((t) => /^(Error|Warning)/.test(t)), `problem items start with a severity: ${items}`);
  assert(items.some((t) => t.startsWith('Error') && t.includes('line 30')), `containers problem at line 30: ${items}`);
  assert(items.some((t) => t.startsWith('Error') && t.includes('line 39') && t.includes('volumeClaimTemplates')),
    `volumeClaimTemolates problem at line 39 with did-you-mean: ${items}`);
  await page.screenshot({ path: join(artifacts, '01-seed-problems.png') });

  // Fix every error with the Fix buttons.
  for (let i = 0; i < 10; i++) {
    const errs = problemsList.getByRole('listitem').filter({ hasText: /^Error/ });
    if ((await errs.count()) === 0) break;
    await errs.first().getByRole('button', { name: /^Fix/ }).click();
    await page.waitForTimeout(50);
  }
  const left = await problemsList.getByRole('listitem').allInnerTexts();
  assert(!left.some((t) => t.startsWith('Error')), `no errors left after the fixes: ${left}`);

  // Apply runs kubectl apply in the terminal.
  await page.getByRole('button', { name: 'Apply' }).click();
  await waitFor(async () => (await terminalText(page)).includes('statefulset.apps/myapp created'), 'apply output');
  assert((await terminalText(page)).includes('kubectl apply -f stateful-demo.yaml'), 'the terminal shows the command');

  // Step until myapp-0 is Running and Ready and myapp-1 appears.
  await waitFor(async () => {
    await page.getByRole('button', { name: 'Step' }).click();
    const pods = await podLabels(page);
    return pods.includes('Pod myapp-0, Running, Ready') && pods.some((p) => p.startsWith('Pod myapp-1,'));
  }, 'myapp-0 Ready and myapp-1 created', 60000);
  const early = await podLabels(page);
  assert(!early.some((p) => p.startsWith('Pod myapp-2,')), `myapp-2 waits for myapp-1: ${early}`);
  await page.screenshot({ path: join(artifacts, '02-ordered.png') });

  // Scale to 5 and play to completion.
  await run(page, 'kubectl scale sts myapp --replicas=5');
  await waitFor(async () => (await terminalText(page)).includes('statefulset.apps/myapp scaled'), 'scale output');
  await playToCompletion(page);
  const five = await podLabels(page);
  for (let i = 0; i < 5; i++) assert(five.includes(`Pod myapp-${i}, Running, Ready`), `myapp-${i} Running and Ready: ${five}`);

  // Partition 4, image v2: only myapp-4 changes.
  await run(page, `kubectl patch sts myapp -p '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":4}}}}'`);
  await waitFor(async () => (await terminalText(page)).includes('statefulset.apps/myapp patched'), 'patch output');
  const t = Date.now();
  await run(page, 'kubectl set image sts/myapp myapp=ikubernetes/myapp:v2');
  await waitFor(async () => (await terminalText(page)).includes('image updated'), 'set image output');
  await playToCompletion(page);
  metrics.rollout_play_ms = Date.now() - t;
  const texts = await podTexts(page);
  const v2 = texts.filter((x) => x.includes(':v2'));
  assert(v2.length === 1 && v2[0].includes('myapp-4'), `only myapp-4 runs v2: ${JSON.stringify(texts)}`);
  await page.screenshot({ path: join(artifacts, '03-partition.png') });
  const afterUpdate = await podLabels(page);

  // Rewind to before the update: v1 everywhere.
  const at = Number(await page.locator('.timeline .mark').filter({ hasText: 'set image' }).getAttribute('data-at'));
  const before = Math.max(0, Math.floor((at - 1) / 100) * 100);
  await page.getByRole('slider', { name: 'Timeline' }).fill(String(before));
  await waitFor(async () => (await podTexts(page)).every((x) => x.includes(':v1')), 'v1 everywhere after rewinding');
  assert((await podTexts(page)).length === 5, 'five pods before the update');
  await page.screenshot({ path: join(artifacts, '04-rewound.png') });
  const rewoundClock = await page.getByRole('timer', { name: 'Virtual time' }).innerText();
  const rewoundPods = await podLabels(page);

  // Reload: the session is intact (same moment, same pods, the recorded future still there).
  await page.waitForTimeout(1200);
  await page.reload();
  await page.getByRole('textbox', { name: 'Manifest editor' }).waitFor();
  await waitFor(async () => (await podLabels(page)).length === 5, 'pods after reload');
  assert(JSON.stringify(await podLabels(page)) === JSON.stringify(rewoundPods), 'same pods after reload');
  assert((await page.getByRole('timer', { name: 'Virtual time' }).innerText()) === rewoundClock, 'same clock after reload');
  assert((await podTexts(page)).every((x) => x.includes(':v1')), 'still v1 after reload');

  // Play forward again: the recorded update replays.
  await playToCompletion(page);
  assert(JSON.stringify(await podLabels(page)) === JSON.stringify(afterUpdate), 'replaying the recording gives the same pods');
  assert((await podTexts(page)).filter((x) => x.includes(':v2')).length === 1, 'replayed update: only myapp-4 on v2');

  // Share: a fresh context opening the link sees the same state.
  await page.getByRole('button', { name: 'Share' }).click();
  const link = await page.getByRole('textbox', { name: 'Share link' }).inputValue();
  assert(link.startsWith(origin) && link.includes('#s1.'), `a share link: ${link.slice(0, 80)}`);
  const sharedClock = await page.getByRole('timer', { name: 'Virtual time' }).innerText();
  const sharedPods = await podLabels(page);
  const second = await guardedPage(browser, origin, problems, 'shared');
  await second.page.goto(link);
  await second.page.getByRole('textbox', { name: 'Manifest editor' }).waitFor();
  await waitFor(async () => (await podLabels(second.page)).length === 5, 'pods in the shared session');
  assert(JSON.stringify(await podLabels(second.page)) === JSON.stringify(sharedPods), 'shared link: same pods');
  assert((await second.page.getByRole('timer', { name: 'Virtual time' }).innerText()) === sharedClock, 'shared link: same clock');
  assert((await terminalText(second.page)).includes('kubectl set image sts/myapp'), 'shared link: same terminal history');
  await second.page.screenshot({ path: join(artifacts, '05-shared.png') });
  await second.context.close();
  await context.close();
});

test('a broken share link gets a clear message and the page still works', async ({ browser, origin, problems }) => {
  const { context, page } = await guardedPage(browser, origin, problems, 'bad-link');
  await page.goto(origin + '/#s1.this-is-not-a-session');
  await page.getByRole('textbox', { name: 'Manifest editor' }).waitFor();
  const status = await page.getByRole('status').allInnerTexts();
  assert(status.some((s) => s.includes('share link')), `a message about the link: ${status}`);
  await run(page, 'kubectl get nodes');
  await waitFor(async () => (await terminalText(page)).includes('kind-control-plane'), 'the terminal works');
  await context.close();
});

test('terminal: history, completion, watch and Ctrl-C', async ({ browser, origin, problems }) => {
  const { context, page } = await guardedPage(browser, origin, problems, 'terminal');
  await page.goto(origin + '/');
  const input = page.getByRole('textbox', { name: 'Terminal' });
  await input.waitFor();
  await run(page, 'kubectl apply -f stateful-demo-fixed.yaml');
  await waitFor(async () => (await terminalText(page)).includes('statefulset.apps/myapp created'), 'apply');
  // Tab completes a subcommand.
  await input.fill('kubectl rollo');
  await input.press('Tab');
  assert((await input.inputValue()) === 'kubectl rollout ', `completion: ${await input.inputValue()}`);
  await input.fill('');
  // ↑ brings back the last command.
  await input.press('ArrowUp');
  assert((await input.inputValue()).startsWith('kubectl apply'), 'history');
  await input.fill('kubectl get pods -w');
  await input.press('Enter');
  await waitFor(async () => (await terminalText(page)).includes('myapp-1'), 'the watch prints as time runs', 30000);
  await input.press('Control+c');
  await waitFor(async () => (await terminalText(page)).includes('^C'), 'Ctrl-C stops the watch');
  await context.close();
});

async function main() {
  assert(existsSync(join(dist, 'index.html')), `no built page in ${dist} (run scripts/e2e.sh)`);
  const server = await serve(dist);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_ARGS });
  let failed = 0;
  for (const t of tests) {
    if (only && !t.name.includes(only)) continue;
    const problems = [];
    const start = Date.now();
    try {
      await t.fn({ browser, origin: server.origin, problems });
      if (problems.length) throw new Error(problems.join('\n'));
      console.log(`e2e ok   ${t.name} (${Date.now() - start} ms)`);
    } catch (e) {
      failed++;
      console.log(`e2e FAIL ${t.name}\n  ${String(e.stack || e).split('\n').slice(0, 6).join('\n  ')}`);
      if (problems.length) console.log(problems.join('\n'));
    }
  }
  await browser.close();
  server.stop();
  writeFileSync(join(artifacts, 'metrics.json'), JSON.stringify(metrics, null, 2));
  console.log(`e2e: ${tests.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
