/**
 * A worker thread that turns JSON-LD into quads for `jsonld-pool.ts`, so that an expansion that
 * runs long or grows large costs this thread (terminated and replaced), never the server's main
 * one. The shipped contexts come with `workerData`: nothing here fetches. The quads go back as
 * plain terms, after the quad and size caps are checked.
 */
import { parentPort, workerData } from "node:worker_threads";
import jsonld from "jsonld";

/** A term as jsonld yields it: `value` of a blank node is its label without `_:`. */
export interface Term {
  termType: string;
  value: string;
  datatype?: { value: string };
  language?: string;
}
export interface RawQuad {
  subject: Term;
  predicate: Term;
  object: Term;
  graph: Term;
}

export type JobMessage = { id: number; doc: unknown; maxQuads: number; maxOutputChars: number };
export type WorkerReply =
  | { ready: true }
  | { id: number; quads: RawQuad[] }
  | {
      id: number;
      error: {
        kind: "remote-context" | "invalid-jsonld" | "maxQuads" | "maxOutputChars";
        message: string;
        url?: string;
      };
    };

/** What a jsonld document loader resolves to (the package does not export the type by name). */
type RemoteDocument = Awaited<ReturnType<NonNullable<jsonld.Options.ToRdf["documentLoader"]>>>;

const contexts = (workerData as { contexts: Record<string, RemoteDocument["document"]> }).contexts;

/** Thrown by the loader, told apart from jsonld's own errors by name. */
class RemoteContext extends Error {
  override readonly name = "RemoteContext";
  readonly url: string;
  constructor(url: string) {
    super(`remote JSON-LD context ${url.slice(0, 300)} is not allowed; use inline contexts or a preloaded one`);
    this.url = url;
  }
}

function documentLoader(url: string): Promise<RemoteDocument> {
  const key = Object.hasOwn(contexts, url) ? url : url.replace(/#$/, "");
  const document = contexts[key];
  if (!Object.hasOwn(contexts, key) || document === undefined) return Promise.reject(new RemoteContext(url));
  return Promise.resolve({ documentUrl: url, document });
}

// safe: false, so that keys no context defines are dropped rather than fatal (as JSON-LD 1.1 says); jsonld reads
// the option, its published types do not list it.
const TO_RDF_OPTIONS: jsonld.Options.ToRdf & { safe: boolean } = { documentLoader, safe: false };

function findRemote(e: unknown): RemoteContext | undefined {
  for (let cur = e, depth = 0; cur && depth < 8; depth++) {
    if (cur instanceof RemoteContext) return cur;
    const c = cur as { cause?: unknown; details?: { cause?: unknown } };
    cur = c.cause ?? c.details?.cause;
  }
  return undefined;
}

async function run(job: JobMessage): Promise<WorkerReply> {
  let quads: RawQuad[];
  try {
    quads = (await jsonld.toRDF(job.doc as jsonld.JsonLdDocument, TO_RDF_OPTIONS)) as unknown as RawQuad[];
    // With safe: false, a term jsonld cannot make an IRI of (a relative one) comes out as null: not RDF.
    quads = quads.filter((q) => q.subject && q.predicate && q.object && q.graph);
  } catch (e) {
    const remote = findRemote(e);
    if (remote) return { id: job.id, error: { kind: "remote-context", message: remote.message, url: remote.url } };
    return {
      id: job.id,
      error: {
        kind: "invalid-jsonld",
        message: `invalid JSON-LD: ${String((e as Error)?.message ?? e).slice(0, 500)}`,
      },
    };
  }
  if (quads.length > job.maxQuads) {
    return {
      id: job.id,
      error: { kind: "maxQuads", message: `the document expands to more than ${job.maxQuads} quads (${quads.length})` },
    };
  }
  let chars = 0;
  for (const q of quads) {
    chars +=
      q.subject.value.length +
      q.predicate.value.length +
      q.object.value.length +
      q.graph.value.length +
      (q.object.datatype?.value.length ?? 0) +
      (q.object.language?.length ?? 0);
  }
  if (chars > job.maxOutputChars) {
    return {
      id: job.id,
      error: {
        kind: "maxOutputChars",
        message: `the document expands to more than ${job.maxOutputChars} characters of quads (${chars})`,
      },
    };
  }
  return { id: job.id, quads };
}

parentPort!.on("message", (job: JobMessage) => {
  // Whatever goes wrong with one document is that document's refusal, never this thread's end.
  void run(job)
    .catch((e: unknown) => ({
      id: job.id,
      error: {
        kind: "invalid-jsonld" as const,
        message: `invalid JSON-LD: ${String((e as Error)?.message ?? e).slice(0, 500)}`,
      },
    }))
    .then((reply) => parentPort!.postMessage(reply));
});
parentPort!.postMessage({ ready: true } satisfies WorkerReply);
