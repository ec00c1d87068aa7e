// nodebalancer-check end to end: the built CLI against the 2021-01-30 scenario. Read-only, so the test
// asserts what it reports: every backend DOWN, set against the nodes and node ports, since when, and
// the next action; then a clean bill once Linode has fixed the NodeBalancer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXIT_CODES } from '../../src/engine/exit-codes.js';
import { settle } from '../../src/sim/scenario.js';
import { runCli } from '../helpers/cli.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const SCENARIO = '2021-01-30-nodebalancer-fails-memory';
const NB = 'ccm-6b1c38f1a1c4e0d2b7f0d3f6e5a4c3b2';

describe('nodebalancer-check on the 2021-01-30 NodeBalancer outage', () => {
  let h: SimHarness;
  let result: Awaited<ReturnType<typeof runCli>>;
  before(async () => {
    h = await startSimHarness(SCENARIO);
    result = await runCli(['nodebalancer-check'], { env: h.env() });
  });
  after(() => h.stop());

  it('runs without a terminal or --yes, and changes nothing', () => {
    assert.deepEqual(h.mutations(), []);
    assert.deepEqual(h.locks(), [], 'a read-only run takes no lock');
  });

  it('reports each backend DOWN against its node, the node state since when, and the node port', () => {
    const out = result.stdout;
    assert.match(out, new RegExp(`NodeBalancer ${NB} \\(\\d+, 45\\.79\\.250\\.10`));
    assert.match(
      out,
      /port 80\/tcp: 0 up, 2 down; NodePort 30080 is ingress-nginx\/ingress-nginx-controller port 80/,
    );
    assert.match(out, /port 443\/tcp: 0 up, 2 down/);
    assert.equal(out.match(/✗ 192\.168\.\d+\.\d+:30(080|443) DOWN — node lke13311-/g)?.length, 4);
    assert.match(out, /MemoryPressure since 2021-01-30T14:30:\d\dZ/);
    assert.match(out, /no events at Linode \(backend status changes are not events\)/);
  });

  it('ends with exit 1 and the next action: the NodeBalancer is suspect, and which node to relieve', () => {
    assert.equal(result.exitCode, 1, result.stderr + result.stdout);
    const output = result.stderr + result.stdout;
    assert.match(output, /4 NodeBalancer backend\(s\) DOWN/);
    assert.match(
      output,
      /Backends are DOWN on healthy nodes too, so the NodeBalancer itself is suspect: open a Linode support ticket/,
    );
    assert.match(output, /Relieve lke13311-16405-5fafd1b46dcf/);
  });

  it('refuses an unknown --label with its own exit code (15) and names the NodeBalancers there are', async () => {
    const unknown = await runCli(['nodebalancer-check', '--label', 'nope'], { env: h.env() });
    assert.equal(unknown.exitCode, EXIT_CODES['not-found'], unknown.stderr + unknown.stdout);
    assert.equal(EXIT_CODES['not-found'], 15);
    assert.doesNotMatch(unknown.stdout, /every backend is UP/);
    assert.match(
      unknown.stderr,
      new RegExp(`There is no NodeBalancer labelled nope\\.[\\s\\S]*The account has: ${NB}`),
    );
  });

  it('--dry-run sends no mutating request', async () => {
    const dry = await runCli(['nodebalancer-check', '--dry-run'], { env: h.env() });
    assert.ok([0, 1].includes(dry.exitCode), dry.stderr + dry.stdout);
    assert.deepEqual(h.mutations(), []);
  });

  it('says every backend is UP, with exit 0, once Linode has fixed it and the pressure has passed', async () => {
    h.sim.world.faults.clear();
    await settle(h.sim.world);
    const healthy = await runCli(['nodebalancer-check', '--label', NB], { env: h.env() });
    assert.equal(healthy.exitCode, 0, healthy.stderr + healthy.stdout);
    assert.match(healthy.stdout, new RegExp(`every backend is UP \\(4 of ${NB}\\)`));
    assert.equal(healthy.stdout.match(/✓ 192\.168\.\d+\.\d+:30(080|443) UP/g)?.length, 4);
    assert.deepEqual(h.mutations(), []);
  });
});

describe('nodebalancer-check with nothing to check', () => {
  let h: SimHarness;
  before(async () => {
    h = await startSimHarness('healthy');
  });
  after(() => h.stop());

  it('an account with no NodeBalancer: says so plainly, exit 15, never "every backend is UP"', async () => {
    const result = await runCli(['nodebalancer-check'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES['not-found'], result.stderr + result.stdout);
    assert.match(
      result.stderr,
      /✖ This Linode account has no NodeBalancer: there is no backend to check\.\n.*Service of type LoadBalancer/,
    );
    assert.doesNotMatch(result.stdout + result.stderr, /every backend is UP/);
  });

  it('asked for one by --label in an account with none: exit 15, naming it', async () => {
    const result = await runCli(['nodebalancer-check', '--label', 'site-lb'], { env: h.env() });
    assert.equal(result.exitCode, EXIT_CODES['not-found'], result.stderr + result.stdout);
    assert.match(result.stderr, /There is no NodeBalancer labelled site-lb\.[\s\S]*The account has: none\./);
  });

  it('a NodeBalancer without any backend is not "every backend is UP": exit 1, naming it', async () => {
    h.sim.world.linode.createNodeBalancer({ label: 'empty-lb', ipv4: '45.79.250.99', configs: [] });
    const result = await runCli(['nodebalancer-check'], { env: h.env() });
    assert.equal(result.exitCode, 1, result.stderr + result.stdout);
    assert.match(result.stderr, /NodeBalancer empty-lb has no backend: its traffic reaches no node\./);
    assert.doesNotMatch(result.stdout + result.stderr, /every backend is UP/);
  });
});
