// XML 1.0 escaping for the repodata writers: characters XML forbids (most C0 controls, lone surrogates,
// U+FFFE/U+FFFF) are dropped, markup characters escaped. Written by hand (tiny, hot path).

const FORBIDDEN = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a fast "anything to do?" check
const NEEDS_TEXT_WORK = /[&<>\r\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: a fast "anything to do?" check
const NEEDS_ATTR_WORK = /[&<>"\t\n\r\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/;

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTR_ESCAPES: Record<string, string> = {
  ...TEXT_ESCAPES,
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/** Removes characters that may not appear in an XML 1.0 document at all. */
export function stripXmlForbidden(value: string): string {
  return value.replace(FORBIDDEN, '');
}

/** Escapes element text content. */
export function xmlText(value: string): string {
  if (!NEEDS_TEXT_WORK.test(value)) return value;
  return stripXmlForbidden(value).replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

/** Escapes a double-quoted attribute value (whitespace kept as character references). */
export function xmlAttr(value: string): string {
  if (!NEEDS_ATTR_WORK.test(value)) return value;
  return stripXmlForbidden(value).replace(/[&<>"\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}
