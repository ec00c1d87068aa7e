// postgres-connections: the triage screen of a connection surge, and the one thing to do about it
// by hand. On 2020-12-11 Postgres hit 100 clients ("FATAL: sorry, too many clients already"), many
// from old deployments of site; on 2021-07-11 Django saturated 115 connections and held 34-61 table
// locks. This shows who holds the connections, open transactions, locks and vacuums; and, when asked
// with --application, terminates that application's idle connections (confirmed, dry-run-able).
import { postgresTarget, postgresTargetParams } from './postgres-target-params.js';
import { terminateBackends } from '../src/engine/vocabulary/index.js';
import { choice, integer, text } from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';
import { needPostgres } from './postgres-connections/need-postgres.js';
import { connectionNotes, lockNotes, vacuumNotes } from './postgres-connections/report.js';
import {
  type Selection,
  chosenNotes,
  describeSelection,
  selectBackends,
} from './postgres-connections/select.js';

export const postgresConnections = defineRunbook({
  id: 'postgres-connections',
  title: 'Who holds the Postgres connections, locks and vacuums; end the idle ones you choose',
  summary:
    'Triage of a connection surge (2020-12-11: 100 clients; 2021-07-11: 115 and 61 table locks), with an ' +
    "optional, confirmed termination of one application's idle connections.",
  postmortems: ['2020-12-11-postgres-conn-surge', '2021-07-11-cascading-node-failures'],
  defaultScenario: '2020-12-11-postgres-conn-surge',
  mutating: true,
  // Without --application it is a report: no terminal, no --yes, no lock, and no cluster given a URL.
  readsOnlyWhen: (params) => params.application === undefined,
  needs: {
    postgres: { connect: 'required', target: postgresTarget },
    namespaces: (params) => [params.namespace],
    cluster: 'for-port-forward-and-lock',
  },
  params: {
    ...postgresTargetParams,
    application: text({
      description: 'terminate connections whose application_name is this (nothing is terminated without it)',
      pattern: /^[\x20-\x7e]{1,63}$/,
      expected: 'an application_name (1 to 63 printable characters)',
      placeholder: '<name>',
    }),
    state: choice({
      description: 'with --application: which connections to terminate',
      choices: ['idle', 'idle-in-transaction', 'any'] as const,
      default: 'idle',
    }),
    olderThan: integer({
      description: 'with --application: only those in that state for at least this many minutes',
      min: 0,
      max: 10_080,
      default: 10,
    }),
  },
})
  .step({
    id: 'connections',
    title: 'Connections against max_connections, by application, client and state',
    explain:
      'Reads pg_stat_activity: how many of max_connections are used and by whom; sessions idle in a ' +
      'transaction; transactions open for more than five minutes. Changes nothing.',
    async plan({ read }) {
      return { actions: [], notes: connectionNotes(await needPostgres(read).connections()) };
    },
  })
  .step({
    id: 'locks',
    title: 'Locks by mode and table, and who blocks whom',
    explain:
      'Reads pg_locks and pg_blocking_pids(): the "dangerous table locks" of 2021-07-11. Changes nothing.',
    async plan({ read }) {
      return { actions: [], notes: lockNotes(await needPostgres(read).locks()) };
    },
  })
  .step({
    id: 'vacuums',
    title: 'Vacuum and autovacuum at work',
    explain: 'Reads pg_stat_progress_vacuum: an autovacuum at 100% CPU shows here with its table and phase.',
    async plan({ read }) {
      return { actions: [], notes: vacuumNotes(await needPostgres(read).vacuums()) };
    },
  })
  .step({
    id: 'terminate',
    title: 'Terminate the connections chosen with --application',
    explain:
      "Only with --application: terminates that application's connections in --state (default idle) " +
      'for at least --older-than minutes, with pg_terminate_backend. Asks first, and asks you to type the ' +
      'application name. Each backend is named by pid and start time, so a pid reused meanwhile is spared.',
    async plan({ params, read }) {
      const postgres = needPostgres(read);
      if (params.application === undefined) {
        return {
          actions: [],
          notes: [
            'nothing chosen: to end connections, run again with e.g. --application site --state idle --older-than 10',
          ],
        };
      }
      const selection: Selection = {
        application: params.application,
        state: params.state,
        olderThanMinutes: params.olderThan,
      };
      const words = describeSelection(selection);
      const chosen = selectBackends((await postgres.connections()).backends, selection);
      if (chosen.length === 0) return { actions: [], notes: [`no ${words}`], facts: { chosen: [] } };
      return {
        actions: [terminateBackends(postgres.identity().url, words, selection.application, chosen)],
        notes: chosenNotes(chosen),
        facts: { chosen: chosen.map((b) => b.pid) },
      };
    },
    async verify({ facts, read }) {
      const chosen = new Set(facts.chosen ?? []);
      if (chosen.size === 0) return { ok: true, detail: 'no connection was chosen' };
      const left = (await needPostgres(read).connections()).backends.filter((b) => chosen.has(b.pid));
      return left.length === 0
        ? { ok: true, detail: `${chosen.size} chosen connections are gone` }
        : { ok: false, detail: `pids ${left.map((b) => b.pid).join(', ')} are still connected` };
    },
  });
