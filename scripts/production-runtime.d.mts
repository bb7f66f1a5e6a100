// Types for scripts/production-runtime.mjs (plain JavaScript, so that scripts/bundle.mjs runs it without a compiler).
export declare const PRODUCTION_ENV: Readonly<Record<string, string>>;
export declare const PRODUCTION_NODE_FLAGS: readonly string[];
