/**
 * Registers the commands beyond init and serve. Each command module adds one line here.
 */
export {};
