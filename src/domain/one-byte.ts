/**
 * Strings V8 can hold one byte a character (ADR 51). V8 keeps a string one byte a character when all its characters are
 * Latin-1, two bytes otherwise, and a part cut from a string keeps the representation of the whole: every cell cut
 * from a piece of a CSV file, every IRI cut from a vocabulary file, is two bytes a character as soon as one character
 * of the whole is beyond Latin-1 (a curly apostrophe, a label in Greek). Text built from such parts is two bytes a
 * character too: hashing it converts it from UTF-16 character by character, it crosses between threads at twice the
 * size, and SQLite is handed UTF-16 to convert again.
 */

/** A character beyond Latin-1: a UTF-16 unit from U+0100 up (surrogates included). */
export const WIDE = /[\u0100-\uFFFF]/;

/** The same text as a one-byte string when it is all Latin-1 (each UTF-16 unit becomes a byte); otherwise `s`. */
export const compact = (s: string): string => (WIDE.test(s) ? s : Buffer.from(s, "latin1").toString("latin1"));
