// The Linode half of the preflight: the token's scopes as GET /profile's X-OAuth-Scopes sends them,
// read_write covering read_only, and a token scoped too narrowly named by the scope it lacks.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  type PreflightWhere,
  findMissing,
  parseScopes,
  scopeGranted,
} from '../../src/engine/permissions/preflight.js';
import { linode } from '../../src/engine/permissions/permission.js';
import { readTokenScopes } from '../../src/providers/linode/token-scopes.js';
import { scopeFaults } from '../../src/sim/linode/scopes.js';
import { type SimHarness, startSimHarness } from '../helpers/sim.js';

const NOWHERE: PreflightWhere = { namespaces: [], lockNamespace: 'default' };
const noKube = { allowed: () => Promise.reject(new Error('no Kubernetes question expected')) };

describe('Linode token scopes', () => {
  it('parses `*` and space-separated scopes; read_write covers read_only, not the reverse', () => {
    assert.deepEqual(parseScopes('*'), ['*']);
    const granted = parseScopes('linodes:read_write volumes:read_only');
    assert.deepEqual(granted, ['linodes:read_write', 'volumes:read_only']);
    const [linodesRead] = linode('linodes', 'read_only');
    const [volumesWrite] = linode('volumes', 'read_write');
    const [lkeRead] = linode('lke', 'read_only');
    assert.ok(linodesRead && volumesWrite && lkeRead);
    assert.equal(scopeGranted(granted, linodesRead), true);
    assert.equal(scopeGranted(granted, volumesWrite), false);
    assert.equal(scopeGranted(granted, lkeRead), false);
    assert.equal(scopeGranted(['*'], volumesWrite), true);
  });

  describe('read from the simulator', () => {
    let h: SimHarness;
    before(async () => {
      h = await startSimHarness('healthy');
    });
    after(() => h.stop());

    it('a token with every scope reads `*`', async () => {
      assert.deepEqual(await readTokenScopes(h.env()), ['*']);
    });

    it('a token scoped too narrowly: exactly its scopes, and the missing one named', async () => {
      for (const fault of scopeFaults(['linodes:read_write', 'volumes:read_only']))
        h.sim.world.faults.add(fault);
      const scopes = await readTokenScopes(h.env());
      assert.deepEqual(scopes, ['linodes:read_write', 'volumes:read_only']);
      const missing = await findMissing(
        [
          ...linode('volumes', 'read_write'),
          ...linode('linodes', 'read_only'),
          ...linode('events', 'read_only'),
        ],
        NOWHERE,
        noKube,
        scopes,
      );
      assert.deepEqual(
        missing.map((m) => m.rule),
        ['Linode token scope volumes:read_write', 'Linode token scope events:read_only'],
      );
      h.sim.world.faults.clear();
    });

    it('unknown rather than wrong: no token, a refused token, nothing listening', async () => {
      assert.equal(await readTokenScopes({ ...h.env(), LINODE_TOKEN: '' }), undefined);
      assert.equal(await readTokenScopes({ ...h.env(), LINODE_TOKEN: 'not-the-token' }), undefined);
      assert.equal(await readTokenScopes({ ...h.env(), LINODE_API_URL: 'http://127.0.0.1:9/v4' }), undefined);
    });
  });
});
