// Code-unit order for sorting identifiers and canonical forms. localeCompare follows the process's
// locale and ICU version (the same spec could sort differently on two machines), and its first call
// loads ICU's collator: ~3 MiB of an idle daemon's resident memory (issue 19).
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
