/**
 * Every string that reaches the HTML from data (patient and sample IDs, file names, gene names,
 * free-text notes) goes through these. Patient IDs come from users' CSVs, so `<script>` or a quote
 * in one must render as text, never as markup or a broken attribute.
 */
const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape for element text and for double- or single-quoted attribute values. */
export function esc(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * A file name made from a user-supplied ID: keeps [A-Za-z0-9._-], replaces anything else with `_`
 * and appends a short stable hash when something was replaced, so two IDs that differ only in
 * replaced characters still get different files.
 */
export function safeFileStem(id: string): string {
  const cleaned = id.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  if (cleaned === id && id.length > 0) return id;
  let h = 0x811c9dc5; // FNV-1a 32-bit: deterministic, no crypto needed for a name suffix
  for (let i = 0; i < id.length; i++) {
    h ^= id.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${cleaned.slice(0, 80)}-${h.toString(16).padStart(8, '0')}`;
}

/** Escaped text whose ISO dates never break across lines ("2025-06-" / "10" reads as two things). */
export function escDates(value: string): string {
  return esc(value).replace(/\b\d{4}-\d{2}-\d{2}\b/g, '<span class="date">$&</span>');
}
