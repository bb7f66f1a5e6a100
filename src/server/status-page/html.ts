// HTML built by a tagged template that escapes every interpolated value unless it is already
// markup built the same way: escaping is the default, so a resource id, an error message or a
// diagnostic with `<script>` in it renders as text.

/** Markup produced by `html` (or `raw` for trusted constants). Never construct from input. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Part = Html | string | number | boolean | null | undefined | readonly Part[];

/** Text for element content and double-quoted attribute values (OWASP's five characters). */
function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function render(part: Part): string {
  if (part instanceof Html) return part.text;
  if (Array.isArray(part)) return part.map(render).join('');
  if (part === null || part === undefined || part === false) return '';
  return escapeHtml(String(part));
}

/** Tagged template: literal parts are trusted markup, every `${value}` is escaped. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((value, i) => { out += render(value) + strings[i + 1]!; });
  return new Html(out);
}

/** A trusted constant (the stylesheet, the script): never pass anything that came from input. */
export function raw(trusted: string): Html {
  return new Html(trusted);
}
