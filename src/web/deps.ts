import type { Request } from "express";
import type { HttpDeps } from "../http/deps.ts";
import type { Assets } from "./assets.ts";
import type { NetworkNames } from "./names.ts";
import type { Viewer } from "./render.ts";

/** What the people's side needs, built once in `compose.ts`. */
export interface WebDeps extends HttpDeps {
  assets: Assets;
  names: NetworkNames;
  /** Who is signed in on this request (a team account's session), if anyone. */
  viewer(req: Request): Promise<Viewer | undefined>;
}
