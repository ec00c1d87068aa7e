// Fills a route's parameter template from an alert's labels: `{{node}}`, or `{{exported_node|node}}`
// for the first label the alert carries. A placeholder no label fills is reported, never guessed.

const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const LABEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export type Filled =
  | { readonly ok: true; readonly value: string; readonly used: readonly string[] }
  | { readonly ok: false; readonly missing: readonly string[] }
  | { readonly ok: false; readonly malformed: string };

/** The label names of one placeholder (`$labels.node` accepted, as Prometheus templates write it). */
function labelNames(inner: string): string[] | undefined {
  const names = inner.split('|').map((n) => n.trim().replace(/^\$labels\./, ''));
  return names.every((n) => LABEL_NAME.test(n)) ? names : undefined;
}

export function fillTemplate(template: string, labels: Readonly<Record<string, string>>): Filled {
  const rest = template.replace(PLACEHOLDER, '');
  if (rest.includes('{{') || rest.includes('}}')) return { ok: false, malformed: template };
  const used: string[] = [];
  const problems: Filled[] = [];
  const value = template.replace(PLACEHOLDER, (whole, inner: string) => {
    const names = labelNames(inner);
    if (names === undefined) {
      problems.push({ ok: false, malformed: whole });
      return '';
    }
    const found = names.find((n) => Object.hasOwn(labels, n));
    if (found === undefined) {
      problems.push({ ok: false, missing: names });
      return '';
    }
    used.push(found);
    return labels[found] ?? '';
  });
  return problems[0] ?? { ok: true, value, used };
}
