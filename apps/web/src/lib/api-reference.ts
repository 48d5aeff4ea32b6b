// Renders docs/openapi.json as one self-contained HTML page (served at /api/v1/docs): every operation
// with its parameters, body and responses, then every schema. No scripts, no external resources; the
// text of the document is escaped, its descriptions rendered from a small Markdown subset.

// biome-ignore lint/suspicious/noExplicitAny: the OpenAPI document is walked as plain JSON
type Json = any;

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options'] as const;

export function escapeHtml(text: unknown): string {
  return String(text ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** `code`, **bold**, *emphasis* and [text](url) on escaped text (links only to http(s) and in-page anchors). */
function inline(text: string): string {
  return escapeHtml(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/(^|[\s(])\*([^*\s][^*]*)\*/g, '$1<em>$2</em>')
    .replace(/\[([^\]]+)\]\(((?:https?:\/\/|#)[^)\s]+)\)/g, '<a href="$2">$1</a>');
}

/** Paragraphs, `#` headings (shifted below the page's own), `- ` lists with continuation lines. */
export function markdown(text: string | undefined, headingBase = 3): string {
  if (!text) return '';
  const out: string[] = [];
  let paragraph: string[] = [];
  let list: string[] | undefined;
  const flush = () => {
    if (paragraph.length) out.push(`<p>${inline(paragraph.join(' '))}</p>`);
    paragraph = [];
    if (list) out.push(`<ul>${list.map((item) => `<li>${inline(item)}</li>`).join('')}</ul>`);
    list = undefined;
  };
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (line.trim() === '') flush();
    else if (heading) {
      flush();
      const level = Math.min(6, headingBase + (heading[1] as string).length - 1);
      out.push(`<h${level}>${inline(heading[2] as string)}</h${level}>`);
    } else if (/^\s*[-*]\s+/.test(line)) {
      if (paragraph.length) {
        out.push(`<p>${inline(paragraph.join(' '))}</p>`);
        paragraph = [];
      }
      list ??= [];
      list.push(line.replace(/^\s*[-*]\s+/, ''));
    } else if (list && /^\s+/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`;
    } else {
      if (list) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return out.join('\n');
}

function resolve(doc: Json, node: Json): Json {
  let current = node;
  for (let depth = 0; current?.$ref && depth < 10; depth++) {
    const ref = String(current.$ref);
    if (!ref.startsWith('#/')) return current;
    current = ref
      .slice(2)
      .split('/')
      .reduce((n: Json, key) => n?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
  }
  return current ?? {};
}

export function operationAnchor(method: string, path: string): string {
  return `op-${method.toLowerCase()}-${path
    .replace(/[{}]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/-+$/, '')}`;
}

/** A short type label: `Package`, `array of Package`, `string (enum: a, b)`, `object`. */
function typeLabel(schema: Json): string {
  if (!schema || typeof schema !== 'object') return '';
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop() as string;
    return String(schema.$ref).startsWith('#/components/schemas/')
      ? `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`
      : escapeHtml(name);
  }
  if (schema.const !== undefined) return `<code>${escapeHtml(JSON.stringify(schema.const))}</code>`;
  if (schema.enum)
    return `${escapeHtml(schema.type ?? 'value')} (one of ${schema.enum.map((v: unknown) => `<code>${escapeHtml(v)}</code>`).join(', ')})`;
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    if (Array.isArray(schema[key]))
      return schema[key].map(typeLabel).join(key === 'allOf' ? ' and ' : ' or ');
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
  if (type === 'array') return `array of ${typeLabel(schema.items) || 'values'}`;
  const extra = [schema.format, schema.pattern ? `pattern ${schema.pattern}` : undefined].filter(Boolean);
  return `${escapeHtml(type ?? 'object')}${extra.length ? ` <small>(${escapeHtml(extra.join(', '))})</small>` : ''}`;
}

function contentList(doc: Json, content: Json): string {
  if (!content) return '';
  return Object.entries(content as Record<string, Json>)
    .map(([type, media]) => {
      const schema = media?.schema;
      const description = schema && !schema.$ref ? resolve(doc, schema).description : undefined;
      return `<div class="media"><code>${escapeHtml(type)}</code> ${typeLabel(schema)}${description ? ` — ${inline(description)}` : ''}</div>`;
    })
    .join('');
}

function parametersTable(doc: Json, parameters: Json[]): string {
  if (parameters.length === 0) return '';
  const rows = parameters
    .map((p) => resolve(doc, p))
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${typeLabel(p.schema)}</td><td>${inline(p.description ?? '')}</td></tr>`,
    )
    .join('');
  return `<table><thead><tr><th>Parameter</th><th>In</th><th>Required</th><th>Type</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function renderOperation(doc: Json, path: string, method: string, item: Json, op: Json): string {
  const parameters = [...(item.parameters ?? []), ...(op.parameters ?? [])];
  const body = op.requestBody ? resolve(doc, op.requestBody) : undefined;
  const responses = Object.entries((op.responses ?? {}) as Record<string, Json>)
    .map(([status, r]) => {
      const response = resolve(doc, r);
      return `<tr><td><code>${escapeHtml(status)}</code></td><td>${inline(response.description ?? '')}${contentList(doc, response.content)}</td></tr>`;
    })
    .join('');
  const security =
    Array.isArray(op.security) && op.security.length === 0
      ? '<p class="note">No credentials needed.</p>'
      : '';
  return `<section class="operation" id="${operationAnchor(method, path)}">
<h3><span class="method ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
${op.summary ? `<p class="summary">${inline(op.summary)}</p>` : ''}
${markdown(op.description, 4)}
${security}
${op.operationId ? `<p class="note">operationId <code>${escapeHtml(op.operationId)}</code></p>` : ''}
${parametersTable(doc, parameters)}
${body ? `<h4>Request body${body.required ? '' : ' (optional)'}</h4>${markdown(body.description, 5)}${contentList(doc, body.content)}` : ''}
<table><thead><tr><th>Status</th><th>Response</th></tr></thead><tbody>${responses}</tbody></table>
</section>`;
}

function renderSchema(doc: Json, name: string, schema: Json): string {
  const required = new Set<string>(schema.required ?? []);
  const properties = Object.entries((schema.properties ?? {}) as Record<string, Json>);
  const table = properties.length
    ? `<table><thead><tr><th>Field</th><th>Type</th><th>Required</th><th>Description</th></tr></thead><tbody>${properties
        .map(
          ([field, s]) =>
            `<tr><td><code>${escapeHtml(field)}</code></td><td>${typeLabel(s)}</td><td>${required.has(field) ? 'yes' : 'no'}</td><td>${inline(resolve(doc, s).description ?? '')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p>${typeLabel(schema)}</p>`;
  return `<section class="schema" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${markdown(schema.description, 4)}${table}</section>`;
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;color:#1e293b;margin:0;display:flex}
nav{width:20rem;flex:none;height:100vh;overflow:auto;position:sticky;top:0;border-right:1px solid #e2e8f0;padding:1rem;font-size:13px;box-sizing:border-box}
nav ul{list-style:none;padding-left:0;margin:.25rem 0 1rem}nav a{color:#334155;text-decoration:none;display:inline-block;min-height:24px;line-height:24px}nav a:hover{text-decoration:underline}
main{padding:1.5rem 2rem;max-width:70rem;min-width:0}h1{margin-top:0}h2{border-bottom:2px solid #e2e8f0;padding-bottom:.25rem;margin-top:2.5rem}
.operation,.schema{border:1px solid #e2e8f0;border-radius:6px;padding:.25rem 1rem 1rem;margin:1rem 0}
.method{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;font-size:12px;padding:2px 6px;background:#475569}
.get{background:#1d4ed8}.post{background:#15803d}.patch,.put{background:#b45309}.delete{background:#b91c1c}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:14px}th,td{border:1px solid #e2e8f0;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f8fafc}code{font-size:13px;background:#f1f5f9;padding:0 3px;border-radius:3px;word-break:break-word}.note{color:#475569;font-size:13px}.summary{font-weight:600}`;

/** The whole reference page for an OpenAPI 3.1 document. */
export function renderApiReference(doc: Json): string {
  const tags: { name: string; description?: string }[] = [...(doc.tags ?? [])];
  const byTag = new Map<string, string[]>();
  const nav = new Map<string, string[]>();
  for (const [path, item] of Object.entries((doc.paths ?? {}) as Record<string, Json>)) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (!op) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!tags.some((t) => t.name === tag)) tags.push({ name: tag });
      byTag.set(tag, [...(byTag.get(tag) ?? []), renderOperation(doc, path, method, item, op)]);
      nav.set(tag, [
        ...(nav.get(tag) ?? []),
        `<li><a href="#${operationAnchor(method, path)}">${method.toUpperCase()} ${escapeHtml(path)}</a></li>`,
      ]);
    }
  }
  const schemas = Object.entries((doc.components?.schemas ?? {}) as Record<string, Json>);
  const usedTags = tags.filter((t) => byTag.has(t.name));
  const title = `${doc.info?.title ?? 'API'} reference`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body>
<nav aria-label="Operations"><p><strong>${escapeHtml(title)}</strong></p>
${usedTags.map((t) => `<div><a href="#tag-${escapeHtml(t.name)}"><strong>${escapeHtml(t.name)}</strong></a><ul>${(nav.get(t.name) ?? []).join('')}</ul></div>`).join('\n')}
<div><a href="#schemas"><strong>schemas</strong></a></div>
</nav>
<main>
<h1>${escapeHtml(title)}</h1>
<p class="note">Version ${escapeHtml(doc.info?.version ?? '')}. Generated from <code>docs/openapi.json</code>, which the server answers with; base URL ${(doc.servers ?? []).map((s: Json) => `<code>${escapeHtml(s.url)}</code>`).join(', ')}.</p>
${doc.info?.summary ? `<p>${inline(doc.info.summary)}</p>` : ''}
${markdown(doc.info?.description, 2)}
${
  Object.keys(doc.components?.securitySchemes ?? {}).length
    ? `<h2 id="security">Credentials</h2><table><tbody>${Object.entries(
        doc.components.securitySchemes as Record<string, Json>,
      )
        .map(
          ([name, s]) =>
            `<tr><td><code>${escapeHtml(name)}</code></td><td>${inline(s.description ?? `${s.type} ${s.scheme ?? ''}`)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : ''
}
${usedTags.map((t) => `<h2 id="tag-${escapeHtml(t.name)}">${escapeHtml(t.name)}</h2>${t.description ? `<p>${inline(t.description)}</p>` : ''}\n${(byTag.get(t.name) ?? []).join('\n')}`).join('\n')}
<h2 id="schemas">Schemas</h2>
${schemas.map(([name, schema]) => renderSchema(doc, name, schema)).join('\n')}
</main>
</body></html>
`;
}
