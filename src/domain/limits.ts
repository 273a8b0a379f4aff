/**
 * How long free-text fields may be and how many values a repeated field may hold. Validation
 * (`validate.ts`) and the field readers it calls (`legal-form.ts`) both apply them.
 */
export const LIMITS = { name: 300, description: 20_000, text: 1_000, values: 50 } as const;
