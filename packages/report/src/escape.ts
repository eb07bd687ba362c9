/**
 * Escaping for every user-supplied string that reaches the HTML (trial name, arm labels, column names, plan text,
 * diagnostics). Text and attribute values use the same five-character escape, so a value is safe in either place
 * (OWASP XSS Prevention Cheat Sheet, rules 1 and 2). Nothing user-supplied is ever placed in a script, style, URL
 * or event-handler context.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML element content or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return text.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}

/** A string safe as an `id` / fragment: letters, digits and hyphens only, never empty. */
export function slug(value: string, prefix = 's'): string {
  const cleaned = value
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${prefix}-${cleaned.length > 0 ? cleaned.slice(0, 48) : 'x'}`;
}

/** Hands out ids that are unique within one document (gt's duplicated-header-id bug, gt #1247, must not recur). */
export class IdAllocator {
  private readonly used = new Map<string, number>();

  next(base: string, prefix = 'id'): string {
    const stem = slug(base, prefix);
    const count = this.used.get(stem) ?? 0;
    this.used.set(stem, count + 1);
    return count === 0 ? stem : `${stem}-${count + 1}`;
  }
}
