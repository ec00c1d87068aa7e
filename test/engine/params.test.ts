import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunbookError } from '../../src/engine/errors.js';
import {
  type ParamSpecs,
  choice,
  filePath,
  integer,
  k8sName,
  resolveParams,
} from '../../src/engine/params.js';

const specs = {
  namespace: k8sName({ description: 'ns', default: 'default', label: true }),
  deployment: k8sName({ description: 'name', default: 'postgres' }),
  strategy: choice({ description: 's', choices: ['scale', 'recreate'] as const, default: 'scale' }),
  manifest: filePath({ description: 'm' }),
  replicas: integer({ description: 'r', min: 1, max: 10 }),
};

const withNode = {
  node: k8sName({ description: 'the node to drain', required: true }),
  timeout: integer({ description: 't', default: 300, min: 1, max: 3600 }),
  loaded: k8sName({ description: 'l' }),
};

// What the types say, checked by `npm run typecheck`: a required or defaulted parameter has a value,
// one that may be left out admits undefined, and a runbook cannot declare it otherwise.
function typesOfResolved(): void {
  const resolved = resolveParams(withNode, { node: 'a' });
  const node: string = resolved.node;
  const timeout: number = resolved.timeout;
  // @ts-expect-error an optional parameter without default may be undefined
  const loaded: string = resolved.loaded;
  void [node, timeout, loaded];
  // @ts-expect-error a parameter typed without undefined needs `required: true` or a default
  const missing: ParamSpecs<{ node: string }> = { node: k8sName({ description: 'n' }) };
  // @ts-expect-error a required parameter cannot be typed as possibly undefined
  const loose: ParamSpecs<{ node: string | undefined }> = { node: withNode.node };
  void [missing, loose];
}
void typesOfResolved;

function rejection(given: Record<string, string>): RunbookError {
  try {
    resolveParams(specs, given);
  } catch (error) {
    assert.ok(error instanceof RunbookError);
    return error;
  }
  assert.fail('expected the parameters to be refused');
}

describe('runbook parameters', () => {
  it('fills in defaults when nothing is given', () => {
    assert.deepEqual(resolveParams(specs, {}), {
      namespace: 'default',
      deployment: 'postgres',
      strategy: 'scale',
      manifest: undefined,
      replicas: undefined,
    });
  });

  it('refuses a namespace that Kubernetes would refuse, naming the flag', () => {
    const error = rejection({ namespace: 'Prod_DB' });
    assert.equal(error.code, 'invalid-parameter');
    assert.match(error.message, /^--namespace "Prod_DB" is not a valid Kubernetes namespace/);
  });

  it('refuses a namespace longer than a DNS label', () => {
    assert.equal(rejection({ namespace: 'a'.repeat(64) }).code, 'invalid-parameter');
  });

  it('accepts dotted names for objects but not for namespaces', () => {
    assert.equal(resolveParams(specs, { deployment: 'pg.main' }).deployment, 'pg.main');
    assert.equal(rejection({ namespace: 'pg.main' }).code, 'invalid-parameter');
  });

  it('lists the choices when a value is not one of them', () => {
    assert.match(rejection({ strategy: 'restart' }).message, /--strategy must be one of scale, recreate/);
  });

  it('refuses a manifest path that is not a readable file', () => {
    assert.match(rejection({ manifest: '/nonexistent/deploy.yaml' }).message, /is not a readable file/);
    assert.match(rejection({ manifest: '/tmp' }).message, /is not a readable file/);
  });

  it('refuses replica counts out of range or not whole', () => {
    assert.match(rejection({ replicas: '0' }).message, /--replicas must be a whole number from 1 to 10/);
    assert.equal(rejection({ replicas: '1.5' }).code, 'invalid-parameter');
    assert.equal(resolveParams(specs, { replicas: '3' }).replicas, 3);
  });

  it('refuses a missing required parameter in one sentence naming the flag, and marks none else missing', () => {
    assert.throws(
      () => resolveParams(withNode, {}),
      (error: unknown) =>
        error instanceof RunbookError &&
        error.code === 'invalid-parameter' &&
        error.message === '--node is required: the node to drain.',
    );
    assert.deepEqual(resolveParams(withNode, { node: 'lke1' }), {
      node: 'lke1',
      timeout: 300,
      loaded: undefined,
    });
  });
});
