// Manifests the real kubectl (go-yaml v2) applies, in the indentations teams write, read to the
// same objects here; and a file kubectl refuses is refused with its line, never its content.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readYamlDocuments } from '../../src/manifests/yaml-documents.js';

const docs = (text: string): unknown[] => {
  const read = readYamlDocuments(text);
  assert.ok(read.ok, `refused:\n${text}`);
  return read.docs;
};
const containers = [{ name: 'x', image: 'nginx', args: ['a', 'b'] }];

describe('YAML as kubectl reads it', () => {
  it('takes a sequence not indented under its key, and one indented', () => {
    for (const text of [
      'containers:\n- name: x\n  image: nginx\n  args:\n  - a\n  - b\n',
      'containers:\n  - name: x\n    image: nginx\n    args:\n      - a\n      - b\n',
      'containers:\n    -   name: x\n        image: nginx\n        args: [a, b]\n',
    ])
      assert.deepEqual(docs(text), [{ containers }], text);
  });

  it('takes 4-space and 2-space maps mixed in one file', () => {
    assert.deepEqual(
      docs(
        'spec:\n    template:\n      spec:\n        containers:\n          - name: x\n            image: nginx\n            args:\n            - a\n            - b\n',
      ),
      [{ spec: { template: { spec: { containers } } } }],
    );
  });

  it('takes flow collections continued at a lesser indentation (deficient indentation elsewhere)', () => {
    assert.deepEqual(docs('containers:\n- name: x\n  image: nginx\n  args: ["a",\n  "b"]\n'), [
      { containers },
    ]);
    assert.deepEqual(docs('env:\n    - {name: A,\n    value: b}\n'), [{ env: [{ name: 'A', value: 'b' }] }]);
    assert.deepEqual(docs('args: [\n"a", # first\n"b"\n]\nnext: 1\n'), [{ args: ['a', 'b'], next: 1 }]);
  });

  it('reads YAML 1.1 scalars as go-yaml does, and leaves times and dates strings', () => {
    assert.deepEqual(docs('a: yes\nb: off\nc: 0755\nd: "no"\ne: 2020-01-01\nf: 1:20\n'), [
      { a: true, b: false, c: 493, d: 'no', e: '2020-01-01', f: '1:20' },
    ]);
  });

  it('takes several documents, CRLF line ends, a repeated key (last wins), anchors and merges', () => {
    assert.deepEqual(docs('a: 1\r\na: 2\r\n---\r\nb: &x {c: 1}\r\nd:\r\n  <<: *x\r\n  e: 2\r\n...\r\n'), [
      { a: 2 },
      { b: { c: 1 }, d: { c: 1, e: 2 } },
    ]);
  });

  it('refuses what kubectl refuses, with the line and without the content', () => {
    const read = readYamlDocuments(
      'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n data:\n  password: hunter2\n',
    );
    assert.ok(!read.ok);
    assert.equal(read.line, 5);
    assert.match(read.reason, / at line 5, column \d+$/);
    assert.doesNotMatch(read.reason, /hunter2|password/);
  });
});
