// A small SVG bar chart for download counts (no chart library): one bar per item, the value on hover
// (<title>) and for screen readers a table with the same numbers.
export interface Bar {
  label: string;
  value: number;
}

export function BarChart({ title, bars, height = 140 }: { title: string; bars: Bar[]; height?: number }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  const width = Math.max(1, bars.length) * 24;
  const plot = height - 20;
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium text-slate-800">{title}</figcaption>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-36 w-full"
        preserveAspectRatio="none"
        role="img"
        aria-label={`${title}: ${bars.reduce((n, b) => n + b.value, 0)} in all`}
        data-testid="bar-chart"
      >
        {bars.map((b, i) => {
          const h = Math.round((b.value / max) * plot);
          return (
            <g key={b.label}>
              <title>{`${b.label}: ${b.value}`}</title>
              <rect
                x={i * 24 + 3}
                y={plot - h}
                width={18}
                height={Math.max(h, b.value > 0 ? 1 : 0)}
                className="fill-indigo-500"
              />
              <rect x={i * 24} y={0} width={24} height={plot} className="fill-transparent" />
            </g>
          );
        })}
        <line x1={0} x2={width} y1={plot} y2={plot} className="stroke-slate-300" strokeWidth={1} />
      </svg>
      <div className="flex justify-between text-xs text-slate-600" aria-hidden="true">
        <span>{bars[0]?.label}</span>
        <span>max {max}</span>
        <span>{bars.at(-1)?.label}</span>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <tbody>
          {bars.map((b) => (
            <tr key={b.label}>
              <th scope="row">{b.label}</th>
              <td>{b.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

/** The last `days` UTC days ending today, each with its count (0 where none). */
export function dailyBars(items: { key: string; downloads: number }[], days = 30, now = Date.now()): Bar[] {
  const counts = new Map(items.map((i) => [i.key, i.downloads]));
  const out: Bar[] = [];
  for (let d = days - 1; d >= 0; d--) {
    const label = new Date(now - d * 86_400_000).toISOString().slice(0, 10);
    out.push({ label, value: counts.get(label) ?? 0 });
  }
  return out;
}
