/**
 * The IRI each imported record gets here, for every format. A module of its own so that the CSV reading thread,
 * which needs it, does not load the linked-data readers (their modules took about 0.15 s to load).
 */
import { createHash } from "node:crypto";
import type { Directory } from "../directory/directory.ts";
import { LOCAL_ID, mintLocalId, slugOf, type Iris } from "../directory/ids.ts";
import type { InitiativeDraft } from "../domain/validate.ts";
import { stableJson } from "../domain/version.ts";
import { SeenIds } from "./seen.ts";

/**
 * Chooses the IRI an imported record gets here, so that importing the same file again lands on the
 * same records and never on an unrelated one: its own when it is already one of ours; else its
 * IRI's last segment (or, for a record without an IRI, its name's slug) when that local id is free
 * or already holds this record (same owl:sameAs, or without an IRI the same name); else that id
 * suffixed with a hash of its IRI (or of its content). A foreign IRI is kept as owl:sameAs.
 */
export class Localiser {
  readonly #iris: Iris;
  readonly #directory: Directory;
  readonly #taken = new SeenIds();

  constructor(iris: Iris, directory: Directory) {
    this.#iris = iris;
    this.#directory = directory;
  }

  close(): void {
    this.#taken.close();
  }

  async localise(draft: InitiativeDraft): Promise<InitiativeDraft> {
    if (this.#iris.localId(draft.id)) return draft;
    const foreign = /^https?:\/\//.test(draft.id) ? draft.id : undefined;
    let segment = "";
    try {
      segment = foreign
        ? decodeURIComponent(
            foreign
              .replace(/[#?].*$/, "")
              .replace(/\/+$/, "")
              .split("/")
              .pop() ?? "",
          )
        : "";
    } catch {
      /* a malformed %-escape: use the name instead */
    }
    const base = LOCAL_ID.test(segment) ? segment : slugOf(draft.name ?? "") || "initiative";
    const hash = createHash("sha256")
      .update(foreign ?? stableJson(draft))
      .digest("hex")
      .slice(0, 10);
    const sameAs = foreign ? [...(draft.sameAs ?? []), foreign] : (draft.sameAs ?? []);
    const candidates = [base, `${base.slice(0, 89)}-${hash}`];
    for (const [k, id] of candidates.entries()) {
      if (this.#taken.has(id)) continue;
      const prev = await this.#directory.get(this.#iris.initiative(id));
      const ours =
        !prev ||
        k === candidates.length - 1 ||
        (foreign
          ? prev.initiative.sameAs.includes(foreign)
          : prev.initiative.name === draft.name && !prev.initiative.sameAs.length);
      if (!ours) continue;
      this.#taken.firstAt(id, 0);
      return { ...draft, id: this.#iris.initiative(id), sameAs };
    }
    // The same record twice in one file: the later one gets a fresh id, as two records would.
    const id = mintLocalId(draft.name ?? "");
    this.#taken.firstAt(id, 0);
    return { ...draft, id: this.#iris.initiative(id), sameAs };
  }
}
