"Probing sweeps: two accelerate processes give the one-process table; an interrupted sweep resumes; the CLI's bad inputs."
import json, os, shutil, subprocess, sys
from pathlib import Path
import pytest
from conftest import run

SCRIPT = '''
import sys, json
from pathlib import Path
from subattr.probe import timestep_probe
rows = timestep_probe('toy', sys.argv[1], taus=(0., .5, 1.), pairs=2, images=1, steps=6, progress=False)
from accelerate import PartialState
if PartialState().is_main_process: Path(sys.argv[1], 'rows.json').write_text(json.dumps(rows))
'''

def _env(): return {**os.environ, 'HF_HUB_OFFLINE': '1', 'OMP_NUM_THREADS': '1'}

def test_two_processes_equal_one(tmp_path):
    s = tmp_path/'sweep.py'; s.write_text(SCRIPT)
    acc = shutil.which('accelerate', path=str(Path(sys.executable).parent))
    r = subprocess.run([acc, 'launch', '--multi_gpu', '--num_processes', '2', '--num_machines', '1', '--mixed_precision', 'no',
                        '--dynamo_backend', 'no', str(s), str(tmp_path/'two')], capture_output=True, text=True, env=_env(), timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    r = subprocess.run([sys.executable, str(s), str(tmp_path/'one')], capture_output=True, text=True, env=_env(), timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    one, two = (json.loads((tmp_path/d/'rows.json').read_text()) for d in ('one', 'two'))
    assert len(one) == 6 and one == two
    procs = {json.loads(f.read_text())['process'] for f in (tmp_path/'two'/'items').glob('*.json')}
    assert procs == {0, 1}   # both processes did work

def test_restart_skips_done_items(tmp_path):
    from subattr.probe import timestep_probe
    kw = dict(taus=(0., 1.), pairs=2, images=1, steps=4, progress=False)
    first = timestep_probe('toy', tmp_path, **kw)
    files = sorted((tmp_path/'items').glob('*.json')); assert len(files) == 4
    files[1].unlink()                                   # as if the sweep had been stopped before this item
    stamps = {f: f.stat().st_mtime_ns for f in files if f.exists()}
    again = timestep_probe('toy', tmp_path, **kw)
    assert again == first
    assert all(f.stat().st_mtime_ns == t for f, t in stamps.items())   # finished items were not redone
    assert files[1].exists()

def test_probe_cli(tmp_path):
    r = run('probe', 'linear', '--model', 'tiny', '--n-train', '24', '--n-test', '12', '--out', tmp_path/'lin')
    assert r.returncode == 0, r.stderr
    rows = json.loads((tmp_path/'lin'/'linear.json').read_text())
    assert {r['attribute'] for r in rows} == {'shape', 'color', 'texture'} and (tmp_path/'lin'/'linear.csv').exists()
    assert (tmp_path/'lin'/'linear.png').stat().st_size > 1000
    r = run('probe')
    assert r.returncode == 2 and 'probe finetune' in r.stderr
    r = run('probe', 'finetune', '--model', 'tiny', '--select', 'up_blokcs.1', '--out', tmp_path/'ft')
    assert r.returncode == 1 and 'up_blokcs' in r.stderr and len(r.stderr.strip().splitlines()) == 1

def test_demo_refuses_a_file_and_a_busy_folder(tmp_path):
    f = tmp_path/'report'; f.write_text('keep me')
    r = run('demo', '--out', f)
    assert r.returncode == 1 and 'is a file' in r.stderr and f.read_text() == 'keep me'
    (tmp_path/'busy').mkdir(); (tmp_path/'busy'/'notes.md').write_text('mine')
    r = run('demo', '--out', tmp_path/'busy')
    assert r.returncode == 1 and 'not empty' in r.stderr and (tmp_path/'busy'/'notes.md').read_text() == 'mine'

def test_probes_run_on_a_diffusers_folder_with_metric_readout(tiny_folder, tmp_path):
    "A user's SD folder (here `tiny` saved by diffusers): the same calls, read by image metrics instead of the oracle."
    from subattr.probe import injection_probe, layer_prompt_probe, probe_references
    refs = probe_references(1)
    inj = injection_probe(str(tiny_folder), tmp_path, [('up_blocks.1.resnets.0', 'resnet')], references=refs, prompts=1, images=1, steps=3, progress=False)
    assert len(inj) == 1 and inj[0]['readout'] == 'metrics' and inj[0]['shape_source'] in ('reference', 'prompt', 'both', 'neither')
    lay = layer_prompt_probe(str(tiny_folder), tmp_path, {'one': ['up_blocks.1.attentions.0.transformer_blocks.0.attn2']}, pairs=1, images=1, steps=3, progress=False)
    assert len(lay) == 1 and lay[0]['shape_follows'] in ('A', 'B', 'neither')

def test_emit_preset_needs_a_set_that_reconstructs(tmp_path):
    "On untrained `tiny` nothing reproduces its reference: the table is written, the preset is refused in one line."
    r = run('probe', 'finetune', '--model', 'tiny', '--select', 'mid_block', '--mode', 'blocks', '--references', '1',
            '--seeds', '1', '--steps', '2', '--prompts', '1', '--images', '1', '--emit-preset', 'found', '--out', tmp_path)
    assert r.returncode == 1 and 'found no block set' in r.stderr.strip().splitlines()[-1]   # after the progress line
    assert (tmp_path/'finetune.json').exists() and not (tmp_path/'found.json').exists()
    r = run('probe', 'finetune', '--model', 'tiny', '--emit-preset', 'a b', '--out', tmp_path/'x')
    assert r.returncode == 1 and '--emit-preset takes a name' in r.stderr

def test_preset_file_selects_and_shows(tmp_path):
    from subattr.blocks import PRESET_FORMAT
    rate = dict(rate=.8, lo=.6, hi=.9, n=24, method='bootstrap')
    f = tmp_path/'found.json'
    f.write_text(json.dumps(dict(format=PRESET_FORMAT, name='found', model='toy', layout='sd', mode='blocks',
                                 sets=dict(shape=dict(spec='down_blocks.1', rates=dict(shape_from_reference=rate))))))
    r = run('blocks', 'toy', '--select', f'{f}#shape', '--depth', '0')
    assert r.returncode == 0, r.stderr
    assert f"preset '{f}#shape': 'down_blocks.1'" in r.stdout and 'shape from reference 0.80 [0.60, 0.90]' in r.stdout
    marked = [l.split()[0] for l in r.stdout.splitlines() if l.rstrip().endswith('yes')]
    assert marked == ['down_blocks.1']
    r = run('blocks', 'sdxl-random', '--select', f'{f}#shape')
    assert r.returncode == 1 and 'found on a UNet with the sd layout' in r.stderr
