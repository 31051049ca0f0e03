"""Execute a notebook and store its outputs, skipping `#| slow` and `#| gpu` cells, whose stored outputs (from a real run
of them) are kept. Use it after a change that does not touch what the slow cells show.

    python tools/run_fast.py nbs/17_finetune.ipynb
"""
import os, re, subprocess, sys
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell

def _flagged(cell) -> bool:
    return cell.cell_type == 'code' and re.match(r'\s*#\|\s*(slow|gpu)\b', cell.source) is not None

def _skip_or_clear(cell) -> bool:
    "Skip slow/gpu cells; clear the others' outputs first (execnb keeps a cell's old outputs when it now prints nothing)."
    if _flagged(cell): return True
    if cell.cell_type == 'code': cell.outputs = []
    return False

def run_fast(path):
    path = Path(path).absolute()
    nb = read_nb(path)
    cwd = os.getcwd(); os.chdir(path.parent)
    try:
        os.environ.setdefault('MPLBACKEND', 'module://matplotlib_inline.backend_inline')
        CaptureShell(path=path.parent).run_all(nb, exc_stop=True, preproc=_skip_or_clear)
    finally: os.chdir(cwd)
    write_nb(nb, path)
    subprocess.run(['nbdev_clean', '--fname', str(path)], check=True)

if __name__ == '__main__':
    for p in sys.argv[1:]: run_fast(p); print('ran (slow/gpu cells kept)', p)
