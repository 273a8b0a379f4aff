/**
 * Where the inbox is: the shared inbox and the network actor's own. essfed answers both itself
 * (`receive.ts`, POST only); the actor document Fedify serves names them.
 */
export const SHARED_INBOX_PATH = "/inbox";

export function actorInboxPath(handle: string): string {
  return `/actors/${handle}/inbox`;
}

export function inboxPaths(handle: string): string[] {
  return [SHARED_INBOX_PATH, actorInboxPath(handle)];
}
