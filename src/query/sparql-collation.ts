/**
 * SPARQL 1.1 compares simple literals and xsd:strings with `fn:compare`, whose default collation is
 * the Unicode code point collation (SPARQL 1.1 §17.3, XPath Functions §7.3.2): `"apple" > "Zebra"`,
 * and `"é"` (U+00E9) and `"e\u0301"` are two different strings. The general engine (Comunica)
 * compares them with `String.prototype.localeCompare` instead, for `<`, `=` and everything built on
 * them (`>`, `<=`, `!=`, `IN`, MIN/MAX, ORDER BY), so a FILTER or an ORDER BY over names gave
 * answers in the host's locale order, and different ones from the record-by-record answers
 * (`sparql-order.ts`), which follow the specification. Importing this module makes the engine's
 * string comparisons use code points: its one place that builds them (the overload for two
 * xsd:strings) hands the comparison a string whose `localeCompare` compares code points.
 */
import { Builder } from "@comunica/utils-expression-evaluator";
import { byCodePoints } from "./sparql-order.ts";

/** A string whose `localeCompare` is SPARQL's code point comparison (-1, 0 or 1). */
class CodePointString extends String {
  override localeCompare(that: string): number {
    return Math.sign(byCodePoints(this.valueOf(), String(that)));
  }
}

// eslint-disable-next-line @typescript-eslint/unbound-method -- called below with `.call(this, …)`
const builtIn = Builder.prototype.stringTest;
Builder.prototype.stringTest = function (this: Builder, test, addInvalidHandling) {
  return builtIn.call(
    this,
    (evaluator) => {
      const compare = test(evaluator);
      return (left: string, right: string) => compare(new CodePointString(left) as unknown as string, right);
    },
    addInvalidHandling,
  );
};
