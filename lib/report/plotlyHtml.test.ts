import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, formatNumber, htmlReport, scriptJson, type PlotlyFigure } from './plotlyHtml.ts';
import { isSafeInlineScript, plotlyJs } from './plotlyBundle.ts';

const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;
const figuresJson = (html: string) => {
  const m = /<script type="application\/json" id="capuchin-figures">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'figures JSON block present');
  return JSON.parse(m[1]) as PlotlyFigure[];
};

test('the plotly bundle is the real library, minified or not, and safe to inline', () => {
  const js = plotlyJs();
  assert.ok(js.length > 3_000_000, `bundle length ${js.length}`);
  assert.ok(js.includes('newPlot'));
  assert.ok(isSafeInlineScript(js));
  assert.equal(isSafeInlineScript('var a = "</script>";'), false);
  assert.equal(isSafeInlineScript('x <!-- y'), false);
});

test('plotly is inlined exactly once however many figures, and every figure’s JSON is embedded', () => {
  const fig = (name: string): PlotlyFigure => ({ data: [{ type: 'scatter', x: [1, 2, 3], y: [3, 1, 2], name }], layout: { title: { text: name } } });
  const html = htmlReport({
    title: 'Two sections',
    sections: [
      { heading: 'A', figures: [fig('first'), fig('second')] },
      { heading: 'B', html: '<p id="free">free html</p>', figures: [fig('third')] },
    ],
  });
  const js = plotlyJs();
  assert.equal(count(html, js.slice(0, 300)), 1, 'one copy of plotly');
  assert.ok(html.length < js.length + 20_000, 'nothing else big in the page');
  assert.ok(!/<script[^>]+src=/.test(html), 'no external scripts (no CDN)');
  assert.deepEqual(figuresJson(html).map((f) => f.data[0].name), ['first', 'second', 'third']);
  for (const id of ['fig-0', 'fig-1', 'fig-2']) assert.equal(count(html, `id="${id}"`), 1);
  assert.ok(html.includes('<p id="free">free html</p>'));
  assert.ok(html.includes('<a href="#s1">B</a>'));
});

test('strings in figures cannot end the script block; table text is escaped; numbers are formatted', () => {
  const evil = '</script><script>alert(1)</script><!-- & \u2028';
  const html = htmlReport({
    title: 'x < y',
    sections: [
      {
        heading: 'Evil',
        figures: [{ data: [{ type: 'bar', name: evil, x: [1], y: [1] }] }],
        table: { columns: ['file', 'score', 'raw'], rows: [['a<b>.wav', 0.123456789, { html: '<audio controls src="a.wav"></audio>' }], [null, NaN, 3]] },
      },
    ],
  });
  assert.ok(!html.includes('<script>alert(1)'), 'no injected script');
  assert.equal(count(html, '</script>'), count(html, '<script'), 'every script closes exactly once');
  assert.equal(figuresJson(html)[0].data[0].name, evil, 'the string survives the round trip');
  assert.ok(html.includes('<title>x &lt; y</title>'));
  assert.ok(html.includes('<td>a&lt;b&gt;.wav</td><td>0.1235</td><td><audio controls src="a.wav"></audio></td>'));
  assert.ok(html.includes('<td></td><td>n/a</td><td>3</td>'));
});

test('helpers: scriptJson escapes angle brackets and ampersands, escapeHtml quotes', () => {
  assert.equal(scriptJson({ a: '</script>&' }), '{"a":"\\u003c/script\\u003e\\u0026"}');
  assert.deepEqual(JSON.parse(scriptJson({ a: '</script>&' })), { a: '</script>&' });
  assert.equal(escapeHtml(`"it's" <b>`), '&quot;it&#39;s&quot; &lt;b&gt;');
  assert.equal(formatNumber(0.1 + 0.2), '0.3');
  assert.equal(formatNumber(Infinity), 'n/a');
  assert.equal(formatNumber(12), '12');
});
