// The real kubectl 1.32 copies files out of and into simulated containers (`kubectl cp` is exec of
// tar): a pg_dump written inside the Postgres pod comes out with the real data; what goes in is
// there afterwards; the scratch filesystem and the output of one exec are bounded.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EXEC_LIMITS } from '../../../src/sim/exec/index.js';
import { SCRATCH_LIMITS } from '../../../src/sim/exec/scratch-fs.js';
import type { TestPostgres } from '../../helpers/postgres.js';
import { kubectlMissing } from './kubectl.js';
import {
  type SimKubectl,
  registerPostgres,
  runWithInput,
  startPostgresPod,
  stopPostgresPod,
} from './sim-kubectl.js';

describe('kubectl cp against the simulator', { skip: kubectlMissing }, () => {
  let s: SimKubectl;
  let db: TestPostgres;
  let pod: string;
  before(async () => {
    ({ s, db, pod } = await startPostgresPod({ registered: false }));
  });
  after(() => stopPostgresPod(s, db));

  it('before a PostgreSQL is registered, psql in the pod fails as with its server down', async () => {
    const r = await s.k.run('exec', pod, '--', 'psql', '-U', 'postgres', '-c', 'select 1');
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^psql: error: connection to server on socket "\/var\/run\/postgresql\/\.s\.PGSQL\.5432" failed: No such file or directory\n/,
    );
    await registerPostgres(s.sim.url, db);
  });

  it('a dump written with pg_dump -f in the pod is copied out with the real rows', async () => {
    const admin = await db.admin();
    await admin.query('create table orders (id int primary key, item text)');
    await admin.query("insert into orders values (42, 'copied-out-row')");
    const dumped = await s.k.run(
      'exec',
      pod,
      '--',
      'pg_dump',
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-f',
      '/tmp/dump.sql',
    );
    assert.equal(dumped.code, 0, dumped.stderr);
    assert.equal(dumped.stdout, '');
    const local = join(s.k.dir, 'dump.sql');
    const copied = await s.k.run('cp', `${pod}:/tmp/dump.sql`, local);
    assert.equal(copied.code, 0, copied.stderr);
    // GNU tar's own words, which kubectl 1.32 prints on its stdout.
    assert.equal(copied.stdout, "tar: Removing leading `/' from member names\n");
    const text = readFileSync(local, 'utf8');
    assert.match(text, /CREATE TABLE public\.orders/);
    assert.match(text, /42\tcopied-out-row/);
  });

  it('a file and a folder copied in are there, as cat and ls see them, and come back out the same', async () => {
    const file = s.k.file('runbook.sql', 'select pg_is_in_recovery();\n');
    const inFile = await s.k.run('cp', file, `${pod}:/tmp/runbook.sql`);
    assert.equal(inFile.code, 0, inFile.stderr);
    const cat = await s.k.run('exec', pod, '--', 'cat', '/tmp/runbook.sql');
    assert.equal(cat.stdout, 'select pg_is_in_recovery();\n');
    const ran = await s.k.run('exec', pod, '--', 'psql', '-U', 'postgres', '-At', '-f', '/tmp/runbook.sql');
    assert.equal(ran.code, 0, ran.stderr);
    assert.equal(ran.stdout, 'f\n');

    const folder = join(s.k.dir, 'notes');
    mkdirSync(join(folder, 'deep'), { recursive: true });
    writeFileSync(join(folder, 'a.txt'), 'first\n');
    writeFileSync(join(folder, 'deep', 'b.txt'), 'second\n');
    const inFolder = await s.k.run('cp', folder, `${pod}:/tmp/notes`);
    assert.equal(inFolder.code, 0, inFolder.stderr);
    const ls = await s.k.run('exec', pod, '--', 'ls', '/tmp/notes', '/tmp/notes/deep');
    assert.equal(ls.stdout, '/tmp/notes:\na.txt\ndeep\n\n/tmp/notes/deep:\nb.txt\n');
    const back = join(s.k.dir, 'back');
    const out = await s.k.run('cp', `${pod}:/tmp/notes`, back);
    assert.equal(out.code, 0, out.stderr);
    assert.equal(readFileSync(join(back, 'a.txt'), 'utf8'), 'first\n');
    assert.equal(readFileSync(join(back, 'deep', 'b.txt'), 'utf8'), 'second\n');
  });

  it('a file that is not there: tar says so and nothing is written locally', async () => {
    const local = join(s.k.dir, 'missing.sql');
    const r = await s.k.run('cp', `${pod}:/tmp/missing.sql`, local);
    assert.match(r.stdout, /^tar: \/tmp\/missing\.sql: Cannot stat: No such file or directory$/m);
    assert.equal(existsSync(local), false);
  });

  it('the scratch filesystem is bounded: a file past its size is refused with no space left', async () => {
    const big = join(s.k.dir, 'big.bin');
    writeFileSync(big, Buffer.alloc(SCRATCH_LIMITS.bytes + 1024, 7));
    const r = await s.k.run('cp', big, `${pod}:/tmp/big.bin`);
    assert.match(r.stderr, /No space left on device/);
    const ls = await s.k.run('exec', pod, '--', 'ls', '/tmp');
    assert.doesNotMatch(ls.stdout, /big\.bin/);
  });

  it('the output of one exec is bounded: it stops with a note and exit code 1', async () => {
    const part = join(s.k.dir, 'part.bin');
    writeFileSync(part, Buffer.alloc(3 * 1024 * 1024, 0x41));
    const copied = await s.k.run('cp', part, `${pod}:/tmp/part.bin`);
    assert.equal(copied.code, 0, copied.stderr);
    // Read without execFile's own 1 MiB buffer, to see all the simulator sends.
    const r = await runWithInput(s.k, '', 'exec', pod, '--', 'cat', '/tmp/part.bin', '/tmp/part.bin');
    assert.equal(r.code, 1);
    assert.equal(Buffer.byteLength(r.stdout), EXEC_LIMITS.outputBytes);
    assert.match(r.stderr, /output stopped after 4 MiB/);
  });
});
