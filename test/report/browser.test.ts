// The HTML pages as a person sees them in a real browser (Debian's Chromium, headless): a run of
// postgres-remount on the simulated cluster, written by `log --format html`, and a training history
// by `train --history --output html`. What is checked is what is shown: the steps' titles in order,
// the bars' count and order, no planted secret in the page's text, a screenshot that is not blank,
// and a page that prints.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { JournalRecord } from '../../src/engine/journal-events.js';
import { saveTraining } from '../../src/training/progress.js';
import { type Browser, type BrowserPage, chromiumMissing, startBrowser } from '../helpers/browser.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { decodePng, distinctColours, inkedShare } from '../helpers/png.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';
import { trainingSession } from '../helpers/training-history.js';

const PLANTED_PASSWORD = 'planted-db-password-8812';

async function notBlank(page: BrowserPage): Promise<void> {
  const pixels = decodePng(await page.screenshot());
  assert.ok(pixels.width > 0 && pixels.height > 0);
  assert.ok(distinctColours(pixels) > 1, 'the screenshot is all one colour');
  assert.ok(
    inkedShare(pixels) > 0.01,
    `only ${String(inkedShare(pixels))} of the screenshot differs from the background`,
  );
}

describe('the pages in a real browser', { skip: chromiumMissing }, () => {
  let browser: Browser;
  const dir = mkdtempSync(join(tmpdir(), 'runbook-pages-'));
  before(async () => {
    browser = await startBrowser();
  });
  after(() => browser.close());

  describe('runbook log <id> --format html', () => {
    let h: SimHarness;
    let page: BrowserPage;
    let records: JournalRecord[] = [];
    let secrets: string[] = [];

    before(async () => {
      h = await startSimHarness('2020-12-11-postgres-conn-surge');
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-pages-state-'));
      const env = h.env({
        RUNBOOK_STATE_DIR: stateDir,
        DATABASE_URL: `postgres://site:${PLANTED_PASSWORD}@127.0.0.1:5432/pysite`,
      });
      const run = await runCli(['postgres-remount', '--yes'], { env });
      assert.equal(run.exitCode, 0, run.stderr);
      const runId = /run {6}(\S+)/.exec(run.stdout)?.[1] ?? '';
      const json = await runCli(['log', runId, '--format', 'json'], { env });
      records = JSON.parse(json.stdout) as JournalRecord[];
      const html = await runCli(['log', runId, '--format', 'html'], { env });
      assert.equal(html.exitCode, 0, html.stderr);
      const file = join(dir, 'run.html');
      writeFileSync(file, html.stdout);
      const kubeToken = /token: (\S+)/.exec(h.sim.kubeconfig())?.[1] ?? 'no kube token';
      secrets = [PLANTED_PASSWORD, h.sim.linodeToken, kubeToken];
      page = await browser.open(file);
    });
    after(() => h.stop());

    it("shows the steps' titles in the order they ran", async () => {
      const titles = [
        ...new Set(records.flatMap((r) => (r.type === 'plan' ? [`${r.step}\0${r.title}`] : []))),
      ].map((s) => s.split('\0')[1]);
      assert.ok(titles.length >= 5, `a remount has its steps: ${titles.join(' | ')}`);
      const shown = await page.evaluate<string[]>(
        "[...document.querySelectorAll('li.step h3')].map((h) => h.innerText.trim())",
      );
      assert.deepEqual(
        shown,
        titles.map((t, i) => `${String(i + 1)}. ${t ?? ''}`),
      );
    });

    it('draws one bar per step on the time axis, top to bottom in the order they ran', async () => {
      const bars = await page.evaluate<Array<{ step: string; top: number; width: number }>>(
        "[...document.querySelectorAll('svg.overview g.step-bar')].map((g) => ({ step: g.dataset.step, top: g.getBoundingClientRect().top, width: g.querySelector('rect').getBoundingClientRect().width }))",
      );
      const steps = [...new Set(records.flatMap((r) => (r.type === 'plan' ? [r.step] : [])))];
      assert.deepEqual(
        bars.map((b) => b.step),
        steps,
      );
      for (const [i, bar] of bars.entries()) {
        assert.ok(bar.width > 0, `bar ${bar.step} is drawn`);
        if (i > 0) assert.ok(bar.top > (bars[i - 1]?.top ?? 0), `bar ${bar.step} is below the one before`);
      }
    });

    it('draws one bar per wait, in the order the run waited, each told against its bound', async () => {
      const waits = records.flatMap((r) => (r.type === 'wait' ? [r] : []));
      assert.ok(
        waits.length >= 3,
        'a remount waits for pods to go, the volume to detach, Postgres to be Ready',
      );
      const bars = await page.evaluate<Array<{ label: string; top: number; width: number }>>(
        "[...document.querySelectorAll('svg.wait-bar')].map((s) => ({ label: s.getAttribute('aria-label'), top: s.getBoundingClientRect().top, width: s.getBoundingClientRect().width }))",
      );
      assert.equal(bars.length, waits.length);
      for (const [i, bar] of bars.entries()) {
        const wait = waits[i];
        assert.ok(bar.label.startsWith(`${wait?.wait ?? ''}: ${wait?.outcome ?? ''} after`), bar.label);
        assert.match(bar.label, /of at most \d/);
        assert.ok(bar.width > 0);
        if (i > 0) assert.ok(bar.top > (bars[i - 1]?.top ?? 0), 'each wait bar is below the one before');
      }
    });

    it('tells the cluster, the confirmations and the changes in its text, and no planted secret', async () => {
      const text = await page.evaluate<string>('document.body.innerText');
      assert.match(text, /Cluster context\s+lke13311-ctx/);
      assert.match(text, /Confirmation: \S+ answered yes\./);
      assert.match(text, /1 replica → 0 replicas/);
      const source = await page.evaluate<string>('document.documentElement.outerHTML');
      for (const secret of secrets) {
        assert.ok(!text.includes(secret), `a secret is shown: ${secret.slice(0, 4)}…`);
        assert.ok(!source.includes(secret), `a secret is in the page: ${secret.slice(0, 4)}…`);
      }
    });

    it('is not blank on screen, and prints', async () => {
      await notBlank(page);
      await page.emulateMedia('print');
      const printed = await page.evaluate<number>(
        "[...document.querySelectorAll('li.step')].filter((li) => li.getBoundingClientRect().height > 0).length",
      );
      assert.equal(printed, new Set(records.flatMap((r) => (r.type === 'plan' ? [r.step] : []))).size);
      const pdf = await page.printToPdf();
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      await page.emulateMedia('screen');
    });
  });

  describe('runbook train --history --output html', () => {
    let page: BrowserPage;
    const surge = '2020-12-11-postgres-conn-surge';
    const node = '2021-01-10-primary-kubernetes-node-outage';

    before(async () => {
      const stateDir = mkdtempSync(join(tmpdir(), 'runbook-pages-training-'));
      const session = (...args: Parameters<typeof trainingSession>): void =>
        saveTraining(stateDir, trainingSession(...args));
      session('alice', node, 2, 41, false);
      session('bob', node, 5, 18);
      session('alice', node, 9, 12.5);
      session('alice', surge, 10, 6);
      const result = await runCli(['train', '--history', '--output', 'html'], {
        env: cleanEnv({ RUNBOOK_STATE_DIR: stateDir }),
      });
      assert.equal(result.exitCode, 0, result.stderr);
      const file = join(dir, 'history.html');
      writeFileSync(file, result.stdout);
      page = await browser.open(file);
    });

    it("draws each trainee's sessions per scenario, oldest first, against the postmortem's time", async () => {
      const charts = await page.evaluate<
        Array<{ scenario: string; sessions: Array<{ trainee: string; x: number }>; line: string | null }>
      >(
        "[...document.querySelectorAll('svg.history-chart')].map((svg) => ({ scenario: svg.dataset.scenario, sessions: [...svg.querySelectorAll('g.session')].map((g) => ({ trainee: g.dataset.trainee, x: g.getBoundingClientRect().left })), line: svg.querySelector('g.postmortem-line text')?.textContent ?? null }))",
      );
      assert.deepEqual(
        charts.map((c) => c.scenario),
        [node, surge],
      );
      const nodeChart = charts[0];
      assert.equal(nodeChart?.sessions.length, 3);
      const byX = [...(nodeChart?.sessions ?? [])].sort((a, b) => a.x - b.x).map((s) => s.trainee);
      assert.deepEqual(byX, ['alice', 'bob', 'alice'], 'the sessions left to right, oldest first');
      assert.equal(nodeChart?.line, 'postmortem: about 26 min');
      assert.equal(charts[1]?.sessions.length, 1);
      assert.equal(charts[1]?.line, null, 'no line where the postmortem does not record the time');
      const text = await page.evaluate<string>('document.body.innerText');
      assert.match(text, /The postmortem does not record how long it took/);
      assert.match(text, /alice\s+gave up\s+41 min/);
    });

    it('is not blank', async () => {
      await notBlank(page);
    });
  });
});
