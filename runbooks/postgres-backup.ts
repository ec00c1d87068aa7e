// postgres-backup: a verified dump of every database, before anything risky. "We absolutely need
// backups for the databases" (2020-12-11, lessons learned). pg_dump in custom format to
// <directory>/<db>-<time>.dump, a sha256 beside each, and proof the dump reads back (pg_restore
// --list, or --verify restore into a scratch database). A dump that does not verify is not kept.
// With the roles: pg_dumpall --globals-only to <directory>/globals-<time>.sql first, private (0600),
// so a restore into a fresh server has the owners and logins the dumps name.
import { postgresTarget, postgresTargetParams } from './postgres-target-params.js';
import { type ParamsOf, choice, text, writableDirectory } from '../src/engine/params.js';
import { defineRunbook } from '../src/engine/runbook.js';
import { needPostgres } from './postgres-connections/need-postgres.js';
import { checkBackup, planBackup } from './postgres-backup/plan.js';

const backupParams = {
  ...postgresTargetParams,
  databases: text({
    description: 'comma-separated databases to dump (default: every database but the templates)',
    pattern: /^[A-Za-z0-9_$-]+(,[A-Za-z0-9_$-]+)*$/,
    expected: 'a comma-separated list of database names',
    placeholder: '<db,db>',
  }),
  directory: writableDirectory({ description: 'where the dumps and their .sha256 files go', default: '.' }),
  verify: choice({
    description: 'list: pg_restore --list reads it; restore: restore into a scratch database, then drop it',
    choices: ['list', 'restore'] as const,
    default: 'list',
  }),
  globals: choice({
    description:
      'include: pg_dumpall --globals-only (roles, their passwords; needs a superuser) to globals-<time>.sql',
    choices: ['include', 'skip'] as const,
    default: 'include',
  }),
};

export type BackupParams = ParamsOf<typeof backupParams>;

export const postgresBackup = defineRunbook({
  id: 'postgres-backup',
  title: 'Back up the Postgres databases: pg_dump, sha256, and a verified read-back',
  summary: 'A verified backup before anything risky: the one nobody had on 2020-12-11.',
  postmortems: ['2020-12-11-postgres-conn-surge'],
  defaultScenario: '2020-12-11-postgres-conn-surge',
  mutating: true,
  needs: {
    postgres: { connect: 'required', target: postgresTarget },
    namespaces: (params) => [params.namespace],
    cluster: 'for-port-forward-and-lock',
  },
  params: backupParams,
}).step({
  id: 'dump',
  title: 'Dump, checksum and verify the databases',
  explain:
    'Runs pg_dumpall --globals-only (the roles with their passwords, private to you) and pg_dump ' +
    '--format=custom for each database into --directory, writes <file>.sha256, and reads the dump back ' +
    'with pg_restore --list (or restores it into a scratch database with --verify restore). ' +
    'Only a verified dump is kept; the .sha256 is written last.',
  async plan({ params, read }) {
    const { action, notes, files } = await planBackup(needPostgres(read), params);
    return { actions: [action], notes, facts: { files } };
  },
  verify: ({ facts }) => checkBackup(facts.files),
});
