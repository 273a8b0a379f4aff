import type { Config } from "../config.ts";
import type { Directory } from "../directory/directory.ts";
import type { Iris } from "../directory/ids.ts";
import type { Taxonomies } from "../domain/taxonomy.ts";
import type { Store } from "../store/store.ts";

/** What the HTTP layer needs, built once in `compose.ts`. */
export interface HttpDeps {
  config: Config;
  store: Store;
  taxonomies: Taxonomies;
  directory: Directory;
  iris: Iris;
}
