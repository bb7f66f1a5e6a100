// A tiny XML writer for the emulator's responses. Objects become elements in key order; arrays
// are wrapped by the protocol's list item name (`item` for EC2, `member` for awsQuery).

export interface XmlStyle {
  /** Element name used for each array entry. */
  listItem: string;
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Serialise a wire-shaped value as the children of an element. Undefined and null are omitted. */
export function toXml(value: unknown, style: XmlStyle): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) {
    return value.map((v) => `<${style.listItem}>${toXml(v, style)}</${style.listItem}>`).join('');
  }
  if (typeof value === 'object') {
    let out = '';
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined || v === null) continue;
      out += `<${k}>${toXml(v, style)}</${k}>`;
    }
    return out;
  }
  return escapeXml(String(value));
}
