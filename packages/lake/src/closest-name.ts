/**
 * "Did you mean ...?" for unknown names (CLI commands and options, pipeline and consumer
 * config keys): the known name nearest to a mistyped one by edit distance. Leaf module,
 * importable from every layer.
 */

/** Levenshtein distance: insertions, deletions and substitutions each cost 1. */
export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/**
 * The spelling that differences of case and separator do not count against:
 * `bufferSize`, `Buffer-Size` and `buffer size` all become `buffer_size`.
 */
function normalise(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[-\s]/g, '_');
}

/** The entry of `known` nearest to `word` (the first of equals), however far; undefined if `known` is empty. */
export function nearestName(word: string, known: readonly string[]): string | undefined {
  return nearest(word, known)?.name;
}

/**
 * The entry of `known` nearest to `word` if it is plausibly a typo of it (at most
 * max(2, a third of the word's length) edits away), else undefined.
 */
export function closestName(word: string, known: readonly string[]): string | undefined {
  const best = nearest(word, known);
  return best !== undefined && best.distance <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}

function nearest(word: string, known: readonly string[]): { name: string; distance: number } | undefined {
  const target = normalise(word);
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(target, normalise(name));
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  return best;
}
