/** Small DOM helpers of the review app. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | number | boolean | undefined> = {}, ...children: (Node | string | null | undefined | false)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}

export function button(label: string, onClick: () => void, attrs: Record<string, string | undefined> = {}): HTMLButtonElement {
  const b = h('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Save text as a file (works from file://: a Blob URL and <a download>). */
export function download(name: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const fmt = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '–' : x.toFixed(d));

export const STYLE = `
body{font-family:system-ui,sans-serif;margin:0 1.5rem 2rem;color:#222}
h1{font-size:1.4rem;margin:1rem 0 .3rem}
table{border-collapse:collapse;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:.25rem .6rem;text-align:left}
th{background:#f4f4f4;position:sticky;top:0}
tr.selected td{background:#fff3c4}
#recordings{table-layout:fixed;width:min(100%,64rem)}#recordings td{overflow-wrap:anywhere}
.bar{display:flex;gap:.5rem;flex-wrap:wrap;align-items:center;margin:.6rem 0}
.warn{background:#fde2e1;border:1px solid #e0a0a0;padding:.4rem .6rem}
.muted{color:#666}
.v-accept{color:#1a7f37;font-weight:600}.v-reject{color:#b42318;font-weight:600}.v-unsure{color:#9a6700;font-weight:600}.v-added{color:#1f6feb;font-weight:600}
canvas{display:block;cursor:crosshair;border:1px solid #ccc}
kbd{border:1px solid #bbb;border-radius:3px;padding:0 .3em;font-size:.85em;background:#f7f7f7}
`;

/** The children that are there (null, undefined and false dropped). */
export const present = (...xs: (Node | string | null | undefined | false)[]): (Node | string)[] => xs.filter((x): x is Node | string => x !== null && x !== undefined && x !== false);
