/** Edit distance between two strings (Levenshtein), used to suggest what the user meant. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(above + 1, (row[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/**
 * The candidates closest to `input`, best first: those within a third of the longer name's
 * length in edits, or containing one another. Used by errors to say "did you mean ...?".
 */
export function closeNames(input: string, candidates: Iterable<string>, limit = 3): string[] {
  const needle = input.toLowerCase();
  const scored: { name: string; score: number }[] = [];
  for (const name of candidates) {
    const hay = name.toLowerCase();
    const d = distance(needle, hay);
    const contains = hay.includes(needle) || needle.includes(hay);
    if (d <= Math.max(2, Math.ceil(Math.max(needle.length, hay.length) / 3)) || contains) {
      scored.push({ name, score: contains ? Math.min(d, 1) : d });
    }
  }
  return scored
    .sort((x, y) => x.score - y.score || x.name.localeCompare(y.name))
    .slice(0, limit)
    .map((s) => s.name);
}

/** `' Did you mean "a" or "b"?'`, or an empty string when nothing is close. */
export function didYouMean(input: string, candidates: Iterable<string>): string {
  const close = closeNames(input, candidates);
  if (close.length === 0) return '';
  return ` Did you mean ${close.map((n) => `"${n}"`).join(' or ')}?`;
}
