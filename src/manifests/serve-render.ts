// `runbook manifests serve` as kubectl apply reads it: YAML documents under a commented header (in
// YAML 1.1, kubectl's, so no string reads back as a boolean), or one JSON List.
import { Document, isScalar, visit } from 'yaml';
import { type KubeObject } from './serve-objects.js';

/** One object as YAML: a list of plain values on one line (`verbs: [get, list]`), as kubectl users write. */
function documentYaml(object: KubeObject): string {
  const doc = new Document(object, { version: '1.1', aliasDuplicateObjects: false });
  visit(doc, {
    Seq(_, seq) {
      if (seq.items.every((item) => isScalar(item))) seq.flow = true;
    },
  });
  return doc.toString({ lineWidth: 0, flowCollectionPadding: false });
}

export function manifestsYaml(header: readonly string[], objects: readonly KubeObject[]): string {
  const comment = header.map((line) => (line === '' ? '#' : `# ${line}`)).join('\n');
  return `${comment}\n${objects.map(documentYaml).join('---\n')}`;
}

export function manifestsJson(objects: readonly KubeObject[]): string {
  return `${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`;
}
