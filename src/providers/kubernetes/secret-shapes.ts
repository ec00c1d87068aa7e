// The dry-run twin needs a cluster's Secrets to exist by name and key (a pod whose env comes from
// one starts only then), never their values: each list page is scrubbed inside the read that
// received it, before it is returned, so no value leaves the provider.

/** The byte a placeholder is made of: a value of n bytes becomes n of these. */
const PLACEHOLDER = 'x';

/** How many bytes a base64 text decodes to, without decoding it. */
export function decodedLength(base64: string): number {
  const trimmed = base64.replace(/\s/g, '');
  const padding = trimmed.endsWith('==') ? 2 : trimmed.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((trimmed.length * 3) / 4) - padding);
}

const placeholderBase64 = (bytes: number): string =>
  Buffer.from(PLACEHOLDER.repeat(bytes), 'latin1').toString('base64');

const ANNOTATIONS_WITH_VALUES = ['kubectl.kubernetes.io/last-applied-configuration'];

interface SecretLike {
  metadata?: { annotations?: Record<string, string>; managedFields?: unknown; [key: string]: unknown };
  data?: Record<string, unknown>;
  stringData?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One Secret with every value replaced by placeholder bytes of the same length. */
export function secretShape(secret: SecretLike): SecretLike {
  const data: Record<string, string> = {};
  for (const [key, value] of Object.entries(secret.data ?? {}))
    data[key] = placeholderBase64(typeof value === 'string' ? decodedLength(value) : 0);
  for (const [key, value] of Object.entries(secret.stringData ?? {}))
    data[key] = placeholderBase64(typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  const annotations = { ...(secret.metadata?.annotations ?? {}) };
  // `kubectl apply` keeps the whole manifest, values included, in this annotation.
  for (const name of ANNOTATIONS_WITH_VALUES) delete annotations[name];
  const metadata = { ...(secret.metadata ?? {}), annotations };
  delete metadata.managedFields;
  if (Object.keys(annotations).length === 0) delete (metadata as { annotations?: unknown }).annotations;
  const shape: SecretLike = { ...secret, metadata, data };
  delete shape.stringData;
  return shape;
}

/** A SecretList page (or one Secret) with every value scrubbed; the original is emptied too. */
export function secretShapes(body: unknown): unknown {
  const list = body as { items?: SecretLike[] } | undefined;
  if (list === undefined || list === null || typeof list !== 'object') return body;
  if (!Array.isArray(list.items)) return body;
  const items = list.items.map(secretShape);
  list.items.length = 0;
  return { ...list, items };
}
