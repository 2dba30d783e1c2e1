"The toy model through every loading route, deterministic sampling, and `subattr world eval`."
import json, os, subprocess, sys
import numpy as np, pytest, torch
from conftest import run
from subattr.models import load_pipeline, toy_path

def _px(pipe, seed=0):
    return pipe('a red striped star', num_inference_steps=4, generator=torch.Generator().manual_seed(seed), output_type='np').images

def test_toy_routes_agree():
    a = load_pipeline('toy', progress=False); b = load_pipeline(toy_path(), progress=False)
    assert a.unet.dtype == torch.float32 and a.image_encoder is not None
    assert (_px(a) == _px(b)).all()
    assert not (_px(a, 0) == _px(a, 1)).all()

def test_toy_folder_size_and_format():
    files = [p for p in toy_path().rglob('*') if p.is_file()]
    assert sum(p.stat().st_size for p in files) <= 30 * 2**20
    assert not [p for p in files if p.suffix in ('.bin', '.pt', '.pth', '.ckpt')]   # safetensors only

def test_plain_diffusers_loads_toy(tmp_path):
    code = ("import sys, torch; from diffusers import StableDiffusionPipeline; "
            f"p = StableDiffusionPipeline.from_pretrained({str(toy_path())!r}); "
            "im = p('a blue plain square', num_inference_steps=3, output_type='np', generator=torch.Generator().manual_seed(0)).images; "
            "assert im.shape == (1, 64, 64, 3); assert not any(m.startswith('subattr') for m in sys.modules); print('ok')")
    r = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert r.returncode == 0 and r.stdout.strip() == 'ok', r.stderr[-2000:]

def test_toy_has_sd15_block_layout():
    r = run('blocks', 'toy', '--json', '--select', 'pnp-structure')
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert [x['pplus_index'] for x in rows if x['kind'] == 'attn2'] == list(range(16))
    assert [x['resolution'] for x in rows if x['kind'] == 'attn2'][:7] == [16, 16, 8, 8, 4, 4, 2]

def test_world_eval_runs(tmp_path):
    "On toy v2 (Open ShapesWorld) `world eval` samples captions per split and reads them with the named reader."
    r = run('world', 'eval', '--model', 'toy', '--steps', 2, '--n', 6, '--json')
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert set(res) == {'seen', 'held_out_pair'}
    assert res['seen']['n'] == 6 and all(0 <= res['seen'][k] <= 1 for k in ('shape', 'color', 'texture'))
    assert all(lo <= res['seen'][k] <= hi for k, (lo, hi) in res['seen']['interval'].items())
