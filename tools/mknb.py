"""Tiny helpers to write notebooks from a Python script and run them to store real outputs.

    from tools.mknb import md, code, write_notebook, run_notebook
    write_notebook('nbs/01_x.ipynb', [md("# Title\n\n> summary"), code("#| default_exp x"), ...])
    run_notebook('nbs/01_x.ipynb')   # executes in nbs/ (as nbdev_test does) and saves outputs

Notebooks are JSON: never patch them as strings; build them with these (execnb under the hood).
"""
import os, subprocess, sys, textwrap
from pathlib import Path
from execnb.nbio import mk_cell, new_nb, write_nb, read_nb

def md(src): return mk_cell(textwrap.dedent(src).strip('\n'), cell_type='markdown')
def code(src): return mk_cell(textwrap.dedent(src).strip('\n'), cell_type='code')

def write_notebook(path, cells):
    "Write `cells` as a fresh notebook at `path`."
    nb = new_nb(cells)
    nb.metadata = {'kernelspec': {'display_name': 'python3', 'language': 'python', 'name': 'python3'}}
    write_nb(nb, path)

def run_notebook(path, timeout=None):
    "Execute the notebook at `path` with cwd = its folder and store its outputs (stops at the first error)."
    from execnb.shell import CaptureShell
    path = Path(path).absolute()
    cwd = os.getcwd()
    os.chdir(path.parent)
    try:
        os.environ.setdefault('MPLBACKEND', 'module://matplotlib_inline.backend_inline')
        def clear(cell):                     # execnb keeps a cell's old outputs when it now prints nothing: start empty
            if cell.cell_type == 'code': cell.outputs = []
            return False
        CaptureShell(path=path.parent, timeout=timeout).execute(path, path, exc_stop=True, preproc=clear)
    finally: os.chdir(cwd)
    subprocess.run(['nbdev_clean', '--fname', str(path)], check=True)

if __name__ == '__main__':
    for p in sys.argv[1:]: run_notebook(p); print('ran', p)
