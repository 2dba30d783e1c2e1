"The README's example does what the README says, checked with the oracle (two short trainings on the toy, ~1 minute)."
import re, shlex
from pathlib import Path
from collections import Counter
import pytest
from conftest import run
README = (Path(__file__).parents[1]/'README.md').read_text()

def readme_commands(first:str)->list:
    "The commands of the README's sh block that starts with `first`."
    block = next(b for b in re.findall(r'```sh\n(.*?)```', README, re.S) if b.startswith(first))
    return [shlex.split(l)[1:] for l in block.strip().splitlines()]

def reads(path)->list:
    from subattr.shapesworld import Oracle
    from PIL import Image
    img = Image.open(path).convert('RGB'); w, h = img.size
    return Oracle.load().read([img.crop((i * h, 0, (i + 1) * h, h)) for i in range(w // h)])

def count(rs, **want)->int: return sum(all(r[k] == v for k, v in want.items()) for r in rs)

@pytest.fixture(scope='module')
def example(tmp_path_factory):
    d = tmp_path_factory.mktemp('readme')
    for args in readme_commands('subattr world render --shape square'):
        r = run(*args, '--threads', '1', cwd=d)
        assert r.returncode == 0, (args, r.stderr)
    return d

def test_appearance_on_another_shape(example):
    rs = reads(example/'circle.png')
    assert count(rs, color='orange') >= 3 and count(rs, texture='checkered') == 4 and count(rs, shape='circle') == 4, rs

def test_shape_in_another_appearance(example):
    rs = reads(example/'blue-star.png')
    assert count(rs, shape='star') >= 3 and count(rs, color='blue') >= 3 and count(rs, texture='dotted') >= 3, rs

def test_both_keeps_the_star_and_the_checks(example):
    rs = reads(example/'both.png')
    assert count(rs, shape='star') == 4 and count(rs, texture='checkered') >= 3, rs

def test_world_read_reads_each_tile(example):
    r = run('world', 'read', example/'circle.png')
    assert r.returncode == 0 and len(r.stdout.strip().splitlines()) == 4 and '[tile 3]' in r.stdout, r.stdout

def test_attention_example(example):
    r = run(*readme_commands('subattr attention')[0], '--steps', '5', '--threads', '1', cwd=example)
    assert r.returncode == 0, r.stderr
    assert {'heatmaps.png', 'maps.safetensors', 'index.json', 'image.png'} <= {p.name for p in (example/'circle-attention').iterdir()}
