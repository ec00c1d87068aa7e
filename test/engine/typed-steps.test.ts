// Facts between typed steps: each step reads what the plans before it return, typed without casts.
// The compiler is the first half of this test (`npm run typecheck`: each @ts-expect-error must be an
// error); the second half runs the steps as the engine does, under a prefix and from a journal.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defineRunbook } from '../../src/engine/runbook.js';
import { defineSteps } from '../../src/engine/typed-steps.js';
import { choice, k8sName } from '../../src/engine/params.js';
import { cordon } from '../../src/engine/vocabulary/index.js';
import type { Readers } from '../../src/engine/ports.js';

const meta = {
  id: 'typed',
  title: 'typed',
  summary: 'typed',
  postmortems: [],
  defaultScenario: 'healthy',
  mutating: true,
  params: {
    node: k8sName({ description: 'a node', required: true }),
    mode: choice({ description: 'a mode', choices: ['a', 'b'] as const, default: 'a' }),
  },
};

const typed = defineRunbook(meta)
  .step({
    id: 'find',
    title: 'find',
    explain: 'gives volumeId always, label only in mode b',
    async plan({ params }) {
      if (params.mode === 'b')
        return { actions: [cordon(params.node)], facts: { volumeId: 3, label: params.node } };
      return Promise.resolve({ actions: [], facts: { volumeId: 4 } });
    },
    verify: ({ facts }) => Promise.resolve({ ok: facts.volumeId > 0, detail: `volume ${facts.volumeId}` }),
  })
  .step({
    id: 'use',
    title: 'use',
    explain: 'reads them',
    plan({ facts }) {
      const volumeId: number = facts.volumeId;
      // @ts-expect-error only some plans of `find` give a label: it may be undefined
      const label: string = facts.label;
      // @ts-expect-error no earlier step provides `replicas`
      void facts.replicas;
      return Promise.resolve({ actions: [], notes: [`${volumeId} ${label}`] });
    },
  });

const twiceGiven = typed.step({
  id: 'again',
  title: 'again',
  explain: 'gives volumeId again',
  plan: () => Promise.resolve({ actions: [], facts: { volumeId: 5 } }),
});
// @ts-expect-error a fact has one author: `find` already provides volumeId, so no step can follow
void twiceGiven.step;

const group = defineSteps<{ node: string }, { needed: boolean }>().step({
  id: 'inspect',
  title: 'inspect',
  explain: 'needs `needed` from the runbook, gives moved',
  plan: ({ facts, params }) =>
    Promise.resolve({ actions: [], facts: { moved: facts.needed ? [params.node] : [] } }),
});

// @ts-expect-error the group reads `needed`, which no step before it provides
void defineRunbook(meta).include(group);

const twice = defineRunbook(meta)
  .step({
    id: 'locate',
    title: 'locate',
    explain: 'gives needed',
    plan: () => Promise.resolve({ actions: [], facts: { needed: true } }),
  })
  .include(group, { prefix: 'first-' })
  .include(group, { prefix: 'second-' })
  .step({
    id: 'report',
    title: 'report',
    explain: 'reads both groups',
    plan({ facts }) {
      const first: readonly string[] = facts['first-moved'];
      const second: readonly string[] = facts['second-moved'];
      // @ts-expect-error the groups' facts are only under their prefixes
      void facts.moved;
      return Promise.resolve({ actions: [], notes: [...first, ...second] });
    },
  });

const ctx = (facts: Record<string, unknown>) => ({
  params: { node: 'n1', mode: 'a' as const },
  facts,
  read: {} as Readers,
  signal: new AbortController().signal,
});

describe('typed steps at run time', () => {
  it('are the engine steps, in order, with their ids', () => {
    assert.deepEqual(
      twice.steps.map((s) => s.id),
      ['locate', 'first-inspect', 'second-inspect', 'report'],
    );
  });

  it('a group under a prefix reads its own facts without it and gives them with it', async () => {
    const [, first] = twice.steps;
    const plan = await first?.plan(ctx({ needed: true, 'second-moved': ['x'] }));
    assert.deepEqual(plan?.facts, { 'first-moved': ['n1'] });
  });

  it('refuses two steps with one id when the runbook is defined', () => {
    const one = { id: 'same', title: 's', explain: 's', plan: () => Promise.resolve({ actions: [] }) };
    assert.throws(() => defineRunbook(meta).step(one).step(one), /two steps have the id "same"/);
  });
});
