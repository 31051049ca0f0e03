"""Move the top-level import statements of non-exported code cells into a cell of their own, just before.

nbdev's docs processor (`exec_show_docs`) executes every cell that contains an import, whole, to make `show_doc` work:
a cell that imports and then trains a model would train during the docs build (slow cells included). With the imports
in their own cell, the docs build runs only the imports. Parsing is by `ast`, so import lines inside strings are left
alone. Cells where an import shares a line with other code, or sits inside a block, are reported and left unchanged.

    python tools/split_imports.py nbs/18_cli.ipynb [...]      # --check: list the cells, change nothing
"""
import ast, sys
from execnb.nbio import read_nb, write_nb, mk_cell

def _directives(src: str) -> tuple[list[str], list[str]]:
    lines = src.split('\n'); i = 0
    while i < len(lines) and lines[i].lstrip().startswith('#|'): i += 1
    return lines[:i], lines[i:]

def split_cell(src: str):
    "(imports cell source, rest source) for a mixed cell, None if nothing to do, or a str saying why it is left alone."
    dirs, body = _directives(src)
    if any(d.replace(' ', '').startswith(('#|export', '#|exporti', '#|exports')) for d in dirs): return None
    if 'nbdev_export' in src: return None
    try: tree = ast.parse('\n'.join(body))
    except SyntaxError: return 'syntax (magics?)'
    imps = [n for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))]
    if not imps or not any(isinstance(n, (ast.Expr, ast.Assign)) for n in ast.walk(tree)): return None
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    if len(top) != len(imps): return 'an import inside a block'
    others = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))]
    imp_lines = {l for n in top for l in range(n.lineno, n.end_lineno + 1)}
    if any(l in imp_lines for n in others for l in range(n.lineno, n.end_lineno + 1)): return 'an import shares a line with other code'
    keep = [d for d in dirs if d.replace(' ', '') in ('#|hide',)]
    imp_src = '\n'.join(keep + [body[l - 1] for l in sorted(imp_lines)])
    rest = '\n'.join(dirs + [b for j, b in enumerate(body, 1) if j not in imp_lines]).strip('\n')
    return imp_src, rest

def process(path, check=False) -> int:
    nb = read_nb(path); out, n = [], 0
    for i, c in enumerate(nb.cells):
        r = split_cell(c.source) if c.cell_type == 'code' else None
        if isinstance(r, str): print(f'{path} cell {i}: left alone ({r}): {c.source[:70]!r}')
        if isinstance(r, tuple):
            n += 1; print(f'{path} cell {i}: imports moved out: {r[0]!r}')
            if not check:
                out.append(mk_cell(r[0], cell_type='code')); c.source = r[1]
        out.append(c)
    if n and not check: nb.cells = out; write_nb(nb, path)
    return n

if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if a != '--check']
    for p in args: process(p, check='--check' in sys.argv)
