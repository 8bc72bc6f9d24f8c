"""nbconvert config used by `npm run notebooks` (experiments/notebooks.ts).

Adds two hooks to ExecutePreprocessor (nbclient):
- after each cell, one progress line on stderr: `[capuchin-nb] cell <index> <status> <seconds>`;
- on a cell error, a JSON report (cell index, source, error text and the cell's stderr, where
  tslab puts its compile errors and stack traces) written to $CAPUCHIN_NB_REPORT, because
  nbconvert itself writes no notebook when a cell fails.
"""
import json
import os
import sys
import time

_started = {}


def _on_cell_start(cell, cell_index, **_):
    _started[cell_index] = time.monotonic()


def _on_cell_executed(cell, cell_index, execute_reply=None, **_):
    status = (execute_reply or {}).get('content', {}).get('status', 'ok')
    seconds = time.monotonic() - _started.get(cell_index, time.monotonic())
    print(f'[capuchin-nb] cell {cell_index} {status} {seconds:.1f}', file=sys.stderr, flush=True)


def _output_text(output):
    if output.get('output_type') == 'stream':
        text = output.get('text', '')
        return ''.join(text) if isinstance(text, list) else text
    if output.get('output_type') == 'error':
        return '\n'.join(output.get('traceback') or [f"{output.get('ename')}: {output.get('evalue')}"])
    return ''


def _on_cell_error(cell, cell_index, execute_reply=None, **_):
    path = os.environ.get('CAPUCHIN_NB_REPORT')
    if not path:
        return
    content = (execute_reply or {}).get('content', {})
    report = {
        'cell_index': cell_index,
        'source': cell.get('source', ''),
        'ename': content.get('ename', ''),
        'evalue': content.get('evalue', ''),
        'outputs': [_output_text(o) for o in cell.get('outputs', []) if _output_text(o)],
    }
    with open(path, 'w', encoding='utf-8') as f:
        json.dump(report, f)


c = get_config()  # noqa: F821 (provided by traitlets when loading a config file)
c.ExecutePreprocessor.on_cell_start = _on_cell_start
c.ExecutePreprocessor.on_cell_executed = _on_cell_executed
c.ExecutePreprocessor.on_cell_error = _on_cell_error
