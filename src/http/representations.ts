/**
 * Rendered representations of initiatives, kept in memory and keyed by the record's change number,
 * so that a GET of a popular initiative costs no read, parse or rendering. While the store's change
 * stamp stays the same nothing can have changed; after any change, an entry is checked against the
 * record's change number before it is used again. A change anywhere (another process included)
 * gives the record a new change number, so a stale rendering is never served.
 */

export interface Representation {
  body: Buffer;
  headers: Record<string, string>;
  etag: string;
}

export class RepresentationCache {
  readonly #max: number;
  readonly #entries = new Map<string, { seq: number; stamp: string; byKey: Map<string, Representation> }>();

  constructor(max = 10_000) {
    this.#max = max;
  }

  /** A representation known current at the store's change stamp `stamp` (no lookup needed). */
  fresh(id: string, stamp: string, key: string): Representation | undefined {
    const e = this.#entries.get(id);
    return e && e.stamp === stamp ? e.byKey.get(key) : undefined;
  }

  /** A representation of change number `seq`; marks it current at `stamp`. */
  get(id: string, seq: number, stamp: string, key: string): Representation | undefined {
    const e = this.#entries.get(id);
    if (!e || e.seq !== seq) return undefined;
    e.stamp = stamp;
    return e.byKey.get(key);
  }

  set(id: string, seq: number, stamp: string, key: string, r: Representation): void {
    let e = this.#entries.get(id);
    if (!e || e.seq !== seq) {
      if (this.#entries.size >= this.#max) {
        // Drop the oldest tenth (Map iteration order is insertion order).
        let n = Math.ceil(this.#max / 10);
        for (const k of this.#entries.keys()) {
          this.#entries.delete(k);
          if (--n === 0) break;
        }
      }
      e = { seq, stamp, byKey: new Map() };
      this.#entries.set(id, e);
    }
    e.byKey.set(key, r);
  }
}
