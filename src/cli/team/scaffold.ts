// What `runbook new <id>` writes: a small runbook a new volunteer can read top to bottom (one step:
// restart a Deployment and wait until it is Ready again) and a test that rehearses it on the simulator.

export function runbookSource(id: string): string {
  return `// ${id}: a runbook of our own. \`runbook show ${id}\` explains it; \`runbook test ${id}\` rehearses it.
//
// A runbook is a list of steps. Each step READS the cluster and returns a plan: the actions it would
// take and what to wait for afterwards. It never changes anything itself: the tool shows the plan,
// asks before each change (unless --yes), performs it, waits, and keeps a journal. That is why
// \`--dry-run\` works without any extra code here.
import { defineRunbook, k8sName, rolloutRestart, workloadReady } from 'runbook';

export default defineRunbook({
  id: '${id}',
  title: 'Restart a Deployment and wait until it is Ready',
  summary: 'Restarts the pods of one Deployment, one by one as its rollout strategy says, and waits for them.',
  // Postmortems this runbook codifies (file names), if any.
  postmortems: [],
  // The simulator scenario \`--sim\` and \`runbook test\` start when none is named (\`runbook sim list\`).
  defaultScenario: 'healthy',
  // Whether any step can change something: such runbooks ask before each change.
  mutating: true,
  // Each parameter becomes a flag: --namespace, --deployment.
  params: {
    namespace: k8sName({ description: 'namespace of the Deployment', label: true, default: 'default' }),
    deployment: k8sName({ description: 'the Deployment to restart', default: 'site' }),
  },
})
  // Steps run in order. A step's plan may also return \`facts\`: what later steps need to know (e.g.
  // \`facts: { replicas }\`). The next \`.step({ … })\` reads them as \`ctx.facts.replicas\`, typed; a fact
  // only some of its plans return is \`T | undefined\`, and one no earlier step returns does not compile.
  .step({
    id: 'restart',
    title: 'Restart the Deployment',
    explain: 'Reads the Deployment, then asks its pods to restart (like kubectl rollout restart) and waits until every replica is Ready.',
    async plan({ params, read }) {
      const target = { kind: 'Deployment' as const, namespace: params.namespace, name: params.deployment };
      const found = await read.kube.getWorkload(target);
      if (found === undefined) {
        // Notes explain the plan to the operator; no actions means nothing is changed.
        return { actions: [], notes: [\`no Deployment \${params.namespace}/\${params.deployment}: nothing to restart\`] };
      }
      return {
        notes: [\`\${params.deployment}: \${found.ready}/\${found.desired} Ready\`],
        actions: [rolloutRestart(target, new Date().toISOString(), 'restarted by ${id}')],
        // Every wait has a bound: the run stops with a clear message when it passes.
        waits: [workloadReady({ target, timeoutMs: 5 * 60_000 })],
      };
    },
    // Checked after the actions and waits: the run fails unless it holds.
    async verify({ params, read }) {
      const now = await read.kube.getWorkload({ kind: 'Deployment', namespace: params.namespace, name: params.deployment });
      const ok = now !== undefined && now.ready === now.desired;
      return { ok, detail: \`\${params.deployment}: \${now?.ready ?? 0}/\${now?.desired ?? 0} Ready\` };
    },
  });
`;
}

export function runbookTestSource(id: string, file: string): string {
  return `// Rehearses ${file} on the simulator: a dry run that must change nothing, then a run with --yes
// whose result is checked. Run it with \`node --test\` in this folder (or \`runbook test ${id}\`).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { test } from 'node:test';

/** The runbook installed in this repository (npm install runbook-….tgz), else the one on the PATH. */
function runbook() {
  try {
    const manifest = createRequire(import.meta.url).resolve('runbook/package.json');
    const bin = JSON.parse(readFileSync(manifest, 'utf8')).bin.runbook;
    return [process.execPath, join(dirname(manifest), bin)];
  } catch {
    return ['runbook'];
  }
}

test('${id} recovers its scenario on the simulator', () => {
  // Throws (and fails the test) when \`runbook test\` exits non-zero; its verdict is printed either way.
  const [command, ...first] = runbook();
  execFileSync(command, [...first, 'test', '${id}', '--runbooks', import.meta.dirname], { stdio: 'inherit' });
});
`;
}
