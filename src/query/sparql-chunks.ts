/**
 * The pieces of one answer as they arrive from a query worker, handed to the HTTP layer as an
 * async iterable. Pulling a piece is what gives the worker credit for the next one, so a client
 * that reads slowly slows the worker down instead of piling the answer up in memory.
 */
import { EssfedError } from "../errors.ts";

/** An answer cut short after it started (the HTTP layer then breaks the connection). */
export class AnswerBroken extends EssfedError {
  constructor(code: string, message: string) {
    super(code, message);
  }
}

export class Chunks implements AsyncIterable<string> {
  readonly #buffer: string[] = [];
  #ended = false;
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  readonly #onPull: () => void;
  readonly #onAbandon: () => void;

  /**
   * @param onPull called each time the reader takes a piece (give the producer one more credit)
   * @param onAbandon called when the reader stops before the end
   */
  constructor(onPull: () => void, onAbandon: () => void) {
    this.#onPull = onPull;
    this.#onAbandon = onAbandon;
  }

  push(chunk: string): void {
    this.#buffer.push(chunk);
    this.#wake?.();
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  fail(e: Error): void {
    this.#error ??= e;
    this.#wake?.();
  }

  get finished(): boolean {
    return this.#ended || this.#error !== undefined;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    let complete = false;
    try {
      for (;;) {
        if (this.#error) throw this.#error;
        const next = this.#buffer.shift();
        if (next !== undefined) {
          this.#onPull();
          yield next;
          continue;
        }
        if (this.#ended) {
          complete = true;
          return;
        }
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        this.#wake = undefined;
      }
    } finally {
      if (!complete && !this.#error) this.#onAbandon();
    }
  }
}
