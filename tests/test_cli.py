"The `subattr` command: output formats, selections, and errors as one line with a non-zero exit."
import json, subprocess, sys
import pytest
from conftest import run
from subattr.cli import main

def records(capsys, *args):
    assert main(['blocks', *args, '--json']) == 0
    return json.loads(capsys.readouterr().out)

def test_sd15_json_lists_16_cross_attention_layers():
    r = run('blocks', 'sd15-random', '--json')
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    a2 = [x for x in rows if x['kind'] == 'attn2']
    assert [x['pplus_index'] for x in a2] == list(range(16))
    assert [x['resolution'] for x in a2] == [64]*2 + [32]*2 + [16]*2 + [8] + [16]*3 + [32]*3 + [64]*3
    for k in ('name', 'kind', 'resolution', 'channels', 'params', 'pplus_index', 'ldm_name', 'selected'): assert k in rows[0]
    assert sum(x['params'] for x in rows if x['depth'] == 0) == 859_520_964

def test_seed_shape_marks_only_down_blocks(capsys):
    rows = records(capsys, 'sd15-random', '--select', 'seed-shape')
    sel = {x['name'] for x in rows if x['selected']}
    assert sel and all(n.startswith('down_blocks.') for n in sel)
    assert sel == {x['name'] for x in rows if x['name'].startswith('down_blocks.')}

def test_sdxl_blora_style_marks_exactly_that_attention(capsys):
    rows = records(capsys, 'sdxl-random', '--select', 'blora-style')
    sel = {x['name'] for x in rows if x['selected']}
    inside = {x['name'] for x in rows if x['name'] == 'up_blocks.0.attentions.1' or x['name'].startswith('up_blocks.0.attentions.1.')}
    assert sel == inside and len(inside) == 1 + 10 * 4      # the attention, 10 transformer layers, their attn1/attn2/ff
    assert sum(x['kind'] == 'attn2' for x in rows) == 70

def test_table_is_readable():
    r = run('blocks', 'sd15-random', '--select', 'instantstyle-style')
    assert r.returncode == 0 and not r.stderr.strip()
    lines = r.stdout.splitlines()
    assert lines[0].startswith('sd1 UNet') and lines[1].split()[:3] == ['name', 'kind', 'res']
    assert any(l.split()[0] == 'up_blocks.1' and l.rstrip().endswith('yes') for l in lines)

@pytest.mark.parametrize('args, says', [
    (('blocks', 'sd15-random', '--select', 'blora-style'), 'does not exist for this sd1 UNet'),
    (('blocks', 'sd15-random', '--select', 'up_blokcs.1'), "did you mean 'up_blocks.1'"),
    (('blocks', 'sdxl-random', '--select', 'up_blokcs.1'), "did you mean 'up_blocks.1'"),
    (('blocks', 'tiny', '--select', 'up_blokcs.1'), "did you mean 'up_blocks.1'"),
    (('blocks', 'no-such/model'), 'not a built-in model'),
    (('blocks', 'not a model'), 'not a built-in model'),
])
def test_errors_are_one_line(args, says):
    r = run(*args)
    assert r.returncode == 1 and r.stdout == ''
    assert len(r.stderr.strip().splitlines()) == 1 and says in r.stderr and 'Traceback' not in r.stderr

def test_bad_command_and_option_exit_2():
    assert run('frobnicate').returncode == 2
    assert run('blocks', 'tiny', '--no-such-option').returncode == 2

def test_help_lists_commands():
    r = run('--help')
    assert r.returncode == 0 and 'blocks' in r.stdout

def test_closed_pipe_is_quiet():
    import subprocess
    from conftest import SUBATTR
    r = subprocess.run(f'"{SUBATTR}" blocks sdxl-random --json | head -1', shell=True, capture_output=True, text=True)
    assert r.stdout.strip() == '[' and 'Traceback' not in r.stderr and 'Broken' not in r.stderr

REFUSALS = [   # (arguments, what the one line says): bad paths, options and selections of every command
    (['blocks', 'sd15-random', '--select', 'up_blokcs.1'], "did you mean 'up_blocks.1'"),
    (['blocks', 'no such model'], 'not a built-in model'),
    (['train', '--model', 'tiny', '--image', '/no/such.png', '--attribute', 'shape', '--out', '{tmp}/o'], 'does not exist'),
    (['train', '--model', 'tiny', '--image', '{ref}', '--attribute', 'shape', '--out', '{tmp}/o', '--lr-token', '-1'], 'lr-token must be'),
    (['train', '--model', 'toy', '--image', '{ref}', '--attribute', 'shape', '--out', '{tmp}/o', '--select', 'up_blokcs.1'], 'did you mean'),
    (['train', '--model', 'tiny', '--image', '{ref}', '--attribute', 'shape', '--out', '{ref}'], 'is a file'),
    (['generate', '--model', 'tiny', '--prompt', 'a <s>', '--out', '{tmp}/x.png', '--concept', '/no/such'], 'does not exist'),
    (['generate', '--model', 'tiny', '--prompt', 'a cat', '--out', '{tmp}/x.png', '--steps', '0'], 'steps must be at least 1'),
    (['world', 'read', '/no/such.png'], 'does not exist'),
    (['world', 'compare', '{ref}', '/no/such.png'], 'does not exist'),
    (['world', 'render', '--shape', 'blob', '--world', 'closed', '--out', '{tmp}/r.png'], "Unknown shape 'blob'"),
    (['world', 'render', '--shape', 'squiggle', '--out', '{tmp}/r.png'], "'squiggle' is not a shape of Open ShapesWorld"),
    (['world', 'eval', '--model', 'no such model'], 'not a built-in model'),
    (['probe', 'finetune', '--select', 'up_blokcs.1', '--out', '{tmp}/p'], 'did you mean'),
    (['probe', 'linear', '--n-train', '0', '--out', '{tmp}/p'], '--n-train must be at least 1'),
    (['probe', 'inject', '--width', '2', '--out', '{tmp}/p'], 'width must be in'),
    (['attention', '--model', 'tiny', '--prompt', ' ', '--out', '{tmp}/a'], 'prompt is empty'),
    (['export', '/no/such', '--out', '{tmp}/x.safetensors'], 'does not exist'),
    (['demo', '--out', '{ref}'], 'is a file'),
    (['bench', '--method', 'nope'], "Unknown method 'nope'"),
    (['bench', '--task', 'nope'], "Unknown task 'nope'"),
    (['bench', '--references', '{tmp}'], 'needs both --references'),
    (['bench', '--clip', '{tmp}'], 'belong to the real-image bench'),
    (['bench', '--steps', '0'], 'at least 1'),
    (['bench', '--out', '{ref}'], 'is a file'),
    (['bench', '--references', '{tmp}', '--manifest', '{tmp}/none.json'], 'does not exist'),
]

@pytest.mark.parametrize('args, says', REFUSALS, ids=[' '.join(a[:2]) + f' {i}' for i, (a, _) in enumerate(REFUSALS)])
def test_refusals_come_before_torch(args, says, ref, tmp_path):
    "Each refusal is one sentence, exit 1, and torch, diffusers and transformers were never imported."
    code = ("import sys; from subattr.cli import main; rc = main(sys.argv[1:]); "
            "print(rc, [m for m in ('torch', 'diffusers', 'transformers') if m in sys.modules])")
    argv = [a.format(tmp=tmp_path, ref=ref) for a in args]
    r = subprocess.run([sys.executable, '-c', code, *argv], capture_output=True, text=True, timeout=60)
    assert r.stdout.strip().splitlines()[-1] == '1 []', (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1 and says in r.stderr, r.stderr
