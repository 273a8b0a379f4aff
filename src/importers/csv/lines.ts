/**
 * A decoded piece of a CSV file cut into lines that V8 can hold one byte a character (ADR 51, src/domain/one-byte.ts).
 * One character beyond Latin-1 in a piece of 64 KB, and every cell of the 150-odd rows around it would be two bytes a
 * character; cut into lines, only the cells of its own row are.
 */
import { WIDE, compact } from "../../domain/one-byte.ts";

/**
 * Calls `push` with `text` as it is when all of it is Latin-1 (nearly always, for files in Western European languages);
 * otherwise with each of its lines in turn (line breaks kept, the last one maybe unfinished), those that are all
 * Latin-1 as one-byte copies.
 */
export function pushByLines(text: string, push: (piece: string) => void): void {
  if (!WIDE.test(text)) return push(text);
  let from = 0;
  while (from < text.length) {
    const nl = text.indexOf("\n", from);
    const to = nl < 0 ? text.length : nl + 1;
    push(compact(text.slice(from, to)));
    from = to;
  }
}
