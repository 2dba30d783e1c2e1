"The docs site and the library agree with the notebooks (what can be checked without Quarto)."
import json, re
from pathlib import Path
ROOT = Path(__file__).parents[1]
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith('_'))

def test_sidebar_lists_every_notebook():
    listed = re.findall(r'-\s+(\S+\.ipynb)', (ROOT/'nbs'/'sidebar.yml').read_text())
    assert sorted(listed) == sorted(p.name for p in NBS)

def test_readme_is_the_index_notebook():
    nb = json.loads((ROOT/'nbs'/'index.ipynb').read_text())
    md = '\n\n'.join(''.join(c['source']) for c in nb['cells'] if c['cell_type'] == 'markdown').strip() + '\n'
    assert (ROOT/'README.md').read_text() == md

def test_ci_runs_the_readme_test_command():
    readme, ci = (ROOT/'README.md').read_text(), (ROOT/'.ci'/'run').read_text()
    test_cmd = [l for l in readme.splitlines() if '[dev]' in l][0].split('&&')[-2:]
    assert ' && '.join(c.strip() for c in test_cmd) in ci

def test_every_notebook_opens_with_title_and_subtitle():
    for p in NBS:
        cells = [c for c in json.loads(p.read_text())['cells'] if c['cell_type'] != 'raw']   # a raw cell holds front matter
        first = ''.join(cells[0]['source'])
        assert re.match(r'# .+\n+> .+', first), p.name

def test_every_module_has_its_notebook():
    for f in (ROOT/'subattr').glob('*.py'):
        m = re.search(r'File to edit: \.\./nbs/(\S+\.ipynb)', f.read_text())
        if f.name not in ('__init__.py', '_modidx.py'): assert m and (ROOT/'nbs'/m.group(1)).exists(), f.name
