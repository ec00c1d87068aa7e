// What the dry-run twin keeps of a Secret: its name, type and key names, each value replaced by
// placeholder bytes of the same length; nothing that holds a value survives the read.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodedLength, secretShapes } from '../../../src/providers/kubernetes/secret-shapes.js';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

describe('secretShapes', () => {
  const value = 'hunter2-correct-horse';
  const page = {
    kind: 'SecretList',
    apiVersion: 'v1',
    metadata: { resourceVersion: '42' },
    items: [
      {
        metadata: {
          name: 'postgres-env',
          namespace: 'default',
          labels: { app: 'postgres' },
          annotations: {
            'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({
              data: { PASSWORD: b64(value) },
            }),
            team: 'devops',
          },
          managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:data': { 'f:PASSWORD': {} } } }],
        },
        type: 'Opaque',
        data: { PASSWORD: b64(value), EMPTY: '', ODD: b64('ab') },
        stringData: { TOKEN: 'é-token' },
      },
    ],
  };

  const shaped = secretShapes(structuredClone(page)) as typeof page;
  const [secret] = shaped.items;

  it('keeps the name, labels, type and every key, with placeholders of the same decoded length', () => {
    assert.ok(secret !== undefined);
    assert.equal(secret.metadata.name, 'postgres-env');
    assert.deepEqual(secret.metadata.labels, { app: 'postgres' });
    assert.equal(secret.type, 'Opaque');
    const decoded = Object.fromEntries(
      Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('latin1')]),
    );
    assert.deepEqual(decoded, {
      PASSWORD: 'x'.repeat(Buffer.byteLength(value)),
      EMPTY: '',
      ODD: 'xx',
      TOKEN: 'x'.repeat(Buffer.byteLength('é-token')),
    });
    assert.equal(shaped.metadata.resourceVersion, '42');
  });

  it('keeps nothing that holds a value: no stringData, no last-applied manifest', () => {
    const text = JSON.stringify(shaped);
    assert.ok(!text.includes(value) && !text.includes(b64(value)) && !text.includes('é-token'));
    assert.deepEqual(secret?.metadata.annotations, { team: 'devops' });
    assert.equal('stringData' in (secret ?? {}), false);
    assert.equal('managedFields' in (secret?.metadata ?? {}), false);
  });

  it('counts decoded bytes from base64 without decoding', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'é', 'long value with spaces'])
      assert.equal(decodedLength(b64(text)), Buffer.byteLength(text), text);
  });
});
