/** Self-contained HTML pages: plotly.js inlined once, figures as escaped JSON, tables, free HTML. */
import { isSafeInlineScript, plotlyJs } from './plotlyBundle.ts';

/** A plotly figure as plain JSON (what Plotly.newPlot takes). */
export interface PlotlyFigure {
  data: Record<string, unknown>[];
  layout?: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** A cell: text (escaped), a number (formatted), null (blank) or trusted HTML. */
export type TableCell = string | number | null | { html: string };

export interface Table {
  columns: string[];
  rows: TableCell[][];
  caption?: string;
}

export interface Section {
  heading: string;
  /** Trusted HTML placed under the heading. */
  html?: string;
  figures?: PlotlyFigure[];
  table?: Table;
}

export interface HtmlReport {
  title: string;
  /** Plain text under the title. */
  subtitle?: string;
  sections: Section[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** JSON that is safe inside <script>: no "</script", "<!--" or line-separator surprises. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Numbers: integers as is, others to 4 significant decimals; NaN/Infinity as "n/a". */
export function formatNumber(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (Number.isInteger(x)) return String(x);
  return String(Number(x.toFixed(digits)));
}

function cellHtml(cell: TableCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number') return formatNumber(cell);
  if (typeof cell === 'string') return escapeHtml(cell);
  return cell.html;
}

export function tableHtml(table: Table): string {
  const head = table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = table.rows.map((r) => `<tr>${r.map((c) => `<td>${cellHtml(c)}</td>`).join('')}</tr>`).join('\n');
  const caption = table.caption ? `<caption>${escapeHtml(table.caption)}</caption>` : '';
  return `<table>${caption}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

const STYLE = `
body { font-family: "DejaVu Sans", system-ui, sans-serif; margin: 24px auto; max-width: 1200px; color: #222; padding: 0 16px; }
h1 { margin-bottom: 4px; } .subtitle { color: #555; margin-top: 0; }
nav { margin: 12px 0 24px; line-height: 1.8; } nav a { margin-right: 14px; }
section { margin-bottom: 36px; } h2 { border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; } .figure { flex: 1 1 520px; min-height: 380px; }
table { border-collapse: collapse; font-size: 14px; margin: 8px 0; } caption { text-align: left; color: #555; padding-bottom: 4px; }
th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: middle; } th { background: #f4f4f4; }
td audio { height: 32px; width: 260px; } pre { background: #f7f7f7; padding: 10px; overflow-x: auto; font-size: 13px; }
`;

/**
 * Build a self-contained HTML page (opens offline): plotly.js is inlined once in <head> and each figure
 * is drawn from one JSON block, escaped so no string in the data can end the script.
 */
export function htmlReport(report: HtmlReport): string {
  const figures: PlotlyFigure[] = [];
  const sections = report.sections.map((s, i) => {
    const parts = [`<section id="s${i}"><h2>${escapeHtml(s.heading)}</h2>`];
    if (s.html) parts.push(s.html);
    if (s.figures?.length) {
      const divs = s.figures.map((f) => {
        figures.push(f);
        return `<div class="figure" id="fig-${figures.length - 1}"></div>`;
      });
      parts.push(`<div class="figures">${divs.join('')}</div>`);
    }
    if (s.table) parts.push(tableHtml(s.table));
    parts.push('</section>');
    return parts.join('\n');
  });
  const nav = report.sections.map((s, i) => `<a href="#s${i}">${escapeHtml(s.heading)}</a>`).join('');
  const init = `(function () {
  var figures = JSON.parse(document.getElementById('capuchin-figures').textContent);
  figures.forEach(function (f, i) {
    Plotly.newPlot('fig-' + i, f.data, f.layout || {}, Object.assign({ responsive: true, displaylogo: false }, f.config || {}));
  });
})();`;
  const plotly = plotlyJs();
  if (!isSafeInlineScript(plotly)) throw new Error('capuchin: htmlReport: plotly bundle cannot be inlined safely');
  return htmlDocument(report.title, `<style>${STYLE}</style>
<script>${plotly}</script>`, `<h1>${escapeHtml(report.title)}</h1>
${report.subtitle ? `<p class="subtitle">${escapeHtml(report.subtitle)}</p>` : ''}
<nav>${nav}</nav>
${sections.join('\n')}
<script type="application/json" id="capuchin-figures">${scriptJson(figures)}</script>
<script>${init}</script>`);
}

/** A whole UTF-8 HTML page titled `title` (escaped here), with `head` after the title and `body` (both HTML). */
export function htmlDocument(title: string, head: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${head}
</head>
<body>
${body}
</body>
</html>
`;
}
