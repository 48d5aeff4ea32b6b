import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeHtml, markdown, operationAnchor, renderApiReference } from './api-reference';

const DOC_FILE = join(import.meta.dirname, '..', '..', '..', '..', 'docs', 'openapi.json');
const doc = JSON.parse(readFileSync(DOC_FILE, 'utf8'));
const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'];

describe('the API reference page rendered from docs/openapi.json', () => {
  const html = renderApiReference(doc);

  it('lists every operation of the document, with its anchor, summary and operationId', () => {
    let count = 0;
    for (const [path, item] of Object.entries(
      doc.paths as Record<string, Record<string, { operationId: string }>>,
    )) {
      for (const method of METHODS.filter((m) => item[m])) {
        count++;
        expect(html).toContain(`id="${operationAnchor(method, path)}"`);
        expect(html).toContain(`${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>`);
        expect(html).toContain(`<code>${escapeHtml(item[method]?.operationId)}</code>`);
      }
    }
    expect(count).toBeGreaterThan(50);
    expect(html).toContain('id="schema-Package"');
  });

  it('is self-contained: no scripts, no stylesheets or images from elsewhere', () => {
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/\bsrc=/i);
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('escapes the text of the document', () => {
    const hostile = renderApiReference({
      info: { title: '<script>alert(1)</script>', description: 'a `<b>` and [x](javascript:alert(1))' },
      paths: {
        '/x': { get: { summary: '<img src=x onerror=alert(1)>', responses: { 200: { description: 'ok' } } } },
      },
    });
    expect(hostile).not.toContain('<script>alert');
    expect(hostile).not.toContain('<img');
    expect(hostile).not.toContain('href="javascript:');
    expect(hostile).toContain('&lt;script&gt;');
  });

  it('renders the Markdown subset the descriptions use', () => {
    expect(markdown('## Conventions\n- one `a`\n  continued\n- two **b**\n\ntext *c*', 2)).toBe(
      '<h3>Conventions</h3>\n<ul><li>one <code>a</code> continued</li><li>two <strong>b</strong></li></ul>\n<p>text <em>c</em></p>',
    );
  });
});
