// "did you mean namespace?": the closest known name to a misspelt key, when one is close enough.

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Compared without case and dashes, so `backupDirectory` suggests `backup-directory`. */
const folded = (name: string): string => name.toLowerCase().replace(/[-_]/g, '');

export function closest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const candidate of known) {
    const [a, b] = [folded(name), folded(candidate)];
    // `nodename` for `node`: one name holding the other whole is as good as a typo.
    const d = b.length >= 3 && (a.startsWith(b) || b.startsWith(a)) ? 1 : distance(a, b);
    if (best === undefined || d < best.d) best = { name: candidate, d };
  }
  if (best === undefined) return undefined;
  return best.d <= Math.max(2, Math.floor(name.length / 3)) ? best.name : undefined;
}

/** ` (did you mean x?)`, or nothing. */
export function didYouMean(name: string, known: readonly string[]): string {
  const found = closest(name, known);
  return found === undefined ? '' : ` (did you mean ${found}?)`;
}
