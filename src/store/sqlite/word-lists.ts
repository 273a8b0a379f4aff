/**
 * The change numbers of recently asked word queries' matches, kept per process as SQLite's
 * comma-separated group_concat lists. Reading a common word's FTS5 doclist and joining it into a
 * list costs ~40 ms for 370,000 matches, and the map asks for the same words again and again as
 * people pan and filter. A kept list is brought up to date by appending the matches above the
 * change number it was read at. Change numbers only grow, and the facet memo counts nothing for a
 * superseded one, so writes extend a kept list instead of discarding it.
 */
export class WordLists {
  readonly #lists = new Map<string, { list: string; at: number }>();
  #chars = 0;
  readonly #max: number;
  readonly #maxChars: number;

  /** At most `max` lists and `maxChars` characters (~bytes) in all; the least recently used go first. */
  constructor(max = 32, maxChars = 32 << 20) {
    this.#max = max;
    this.#maxChars = maxChars;
  }

  /**
   * The list for `query` as of indexed change number `at`. `read(after, at)` gives the matches
   * with change numbers in (after, at] as a list ("" for none).
   */
  get(query: string, at: number, read: (after: number, at: number) => string): string {
    const kept = this.#lists.get(query);
    let list: string;
    if (kept && kept.at <= at) {
      const more = kept.at < at ? read(kept.at, at) : "";
      list = kept.list && more ? `${kept.list},${more}` : kept.list || more;
    } else {
      list = read(-1, at);
    }
    this.#forget(query);
    this.#lists.set(query, { list, at });
    this.#chars += list.length;
    while (this.#lists.size > this.#max || (this.#chars > this.#maxChars && this.#lists.size > 1))
      this.#forget(this.#lists.keys().next().value!);
    return list;
  }

  #forget(query: string): void {
    const kept = this.#lists.get(query);
    if (!kept) return;
    this.#chars -= kept.list.length;
    this.#lists.delete(query);
  }

  clear(): void {
    this.#lists.clear();
    this.#chars = 0;
  }
}
