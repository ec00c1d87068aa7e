// "Did you mean": the nearest known names to a mistyped one (postgres-remont → postgres-remount).

/** Edit distance with transpositions (optimal string alignment): a swapped pair of letters costs 1. */
function distance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => rows[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      const row = rows[i];
      if (row !== undefined) row[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The known names close to `typed` (at most 3, nearest first): a third of its length may differ. */
export function nearest(typed: string, known: Iterable<string>): string[] {
  const limit = Math.max(1, Math.floor(typed.length / 3));
  const scored = [...new Set(known)]
    .map((name) => {
      const prefix = typed.length >= 3 && name.startsWith(typed);
      return { name, score: prefix ? 0.5 : distance(typed, name) };
    })
    .filter((s) => s.score <= limit)
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name));
  return scored.slice(0, 3).map((s) => s.name);
}

/** " Did you mean postgres-remount?" (or two or three names), or nothing. */
export function didYouMean(typed: string, known: Iterable<string>): string {
  const names = nearest(typed, known).map((n) => `\`${n}\``);
  if (names.length === 0) return '';
  const last = names.pop() ?? '';
  return ` Did you mean ${names.length === 0 ? last : `${names.join(', ')} or ${last}`}?`;
}
