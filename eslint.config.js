// One linter for the project, with the layering rules (the domain does no I/O; adapters are chosen in compose.ts).
import js from "@eslint/js";
import jest from "eslint-plugin-jest";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

const IO_LAYERS = [
  "**/store/**",
  "**/http/**",
  "**/federation/**",
  "**/cli/**",
  "**/query/**",
  "**/importers/**",
  "express",
  "pg",
  "node:sqlite",
  "node:fs",
  "node:http",
];

// Checked at typescript-eslint's type-checked level and within 120 columns: every TypeScript file of the project.
const CHECKED_FOLDERS = ["src", "bench", "test", "examples"];
const filesOf = (extensions) => (path) => (path.endsWith(".ts") ? path : `${path}/**/*.${extensions}`);
const TYPE_CHECKED = CHECKED_FOLDERS.map(filesOf("ts"));

export default tseslint.config(
  { ignores: ["node_modules/", "coverage/", "tmp/", "bench/out/", "data/", ".ci/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        Buffer: "readonly",
        URL: "readonly",
        fetch: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        performance: "readonly",
        TextEncoder: "readonly",
        TextDecoder: "readonly",
        AbortSignal: "readonly",
        crypto: "readonly",
        structuredClone: "readonly",
      },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Browser code of the pages (bundled by esbuild).
    files: ["src/web/client/**/*.js"],
    languageOptions: {
      globals: {
        document: "readonly",
        window: "readonly",
        navigator: "readonly",
        URLSearchParams: "readonly",
        location: "readonly",
        history: "readonly",
        FormData: "readonly",
        Intl: "readonly",
        HTMLElement: "readonly",
      },
    },
  },
  {
    // The domain is pure: no storage, no HTTP, no federation, no I/O.
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: IO_LAYERS.map((group) => ({
            group: [group],
            message: "src/domain must not do I/O or depend on outer layers",
          })),
        },
      ],
    },
  },
  {
    // Adapters are picked in one place: compose.ts (and tests, benches, the migrate command).
    files: ["src/**/*.ts"],
    ignores: ["src/compose.ts", "src/store/**", "src/cli/commands/migrate*.ts", "**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/store/sqlite/*", "**/store/postgres/*"],
              message: "use the Store port; adapters are chosen in compose.ts",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts"],
    ...jest.configs["flat/recommended"],
    rules: {
      ...jest.configs["flat/recommended"].rules,
      "jest/expect-expect": "off",
      "jest/no-conditional-expect": "off",
    },
  },
  // Shared suites (contract tests) are modules that test files call.
  { files: ["test/**/*.ts"], ignores: ["**/*.test.ts"], rules: { "jest/no-export": "off" } },
  ...tseslint.configs.recommendedTypeChecked.map((config) => ({ ...config, files: TYPE_CHECKED })),
  {
    files: TYPE_CHECKED,
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `any` stays allowed where a library gives nothing better; the no-unsafe-* rules still catch its use.
      "@typescript-eslint/no-explicit-any": "off",
    },
  },
  {
    // node:sqlite is synchronous but the Store port is asynchronous: the SQLite adapters' methods stay `async` without
    // awaiting, so that a failure reaches the caller as a rejected promise, as it does from PostgreSQL.
    files: ["src/store/sqlite/**/*.ts"],
    rules: { "@typescript-eslint/require-await": "off" },
  },
  // Layout is the formatter's job (prettier, run by `npm run check`); switch off rules that would fight it.
  prettier,
  {
    // Prettier wraps code at 120 columns but leaves long strings and comments alone; this catches them.
    files: CHECKED_FOLDERS.map(filesOf("{ts,js}")),
    rules: {
      "max-len": [
        "error",
        // A test's title is exempt: prettier keeps `it("title", ...)` on one line, and the title reads as one sentence.
        { code: 120, ignoreUrls: true, ignorePattern: '^\\s*(?:it|test|describe)(?:\\.\\w+)?\\("' },
      ],
    },
  },
);
