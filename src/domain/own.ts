/**
 * Look-ups in a table written as an object literal, by a key that may come from outside (an activity's type, a path,
 * a query parameter, a cell of a file). `table[key]` also finds what every object inherits: `constructor`, `toString`
 * and `hasOwnProperty` are functions, `__proto__` is `Object.prototype`, so a stranger's key would be taken for an
 * entry (an inbox answered 500 for an activity of type `__proto__`; an import stopped at a legal form
 * "constructor"). `own` finds the table's own entries only.
 */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
