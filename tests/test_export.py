"`subattr export` and `subattr blocks --lora`: kohya files that diffusers reads back, LoRA halves, merged UNets, and their refusals."
import json, re
import numpy as np, pytest, torch
from conftest import run

@pytest.fixture(scope='module')
def lora_concept(tmp_path_factory, ref):
    out = tmp_path_factory.mktemp('ex')/'lora'
    r = run('train', '--model', 'tiny', '--image', ref, '--attribute', 'shape', '--mode', 'blocks', '--lora-rank', '2', '--lora-alpha', '4',
            '--steps', '3', '--lr-blocks', '0.05', '--out', out, '--quiet', '--threads', '1')
    assert r.returncode == 0, r.stderr
    return out

def _draw(p): return p('a sks', num_inference_steps=2, output_type='np', generator=torch.Generator().manual_seed(0)).images

def test_a_lora_concept_loads_whole_in_plain_diffusers(lora_concept):
    "Every module the concept adapted gets its adapter in plain diffusers (attention projections and convolutions alike)."
    from subattr.models import load_pipeline
    p = load_pipeline('tiny', progress=False); p.load_lora_weights(str(lora_concept))
    adapted = {n for n, m in p.unet.named_modules() if hasattr(m, 'lora_A') and len(m.lora_A)}
    assert adapted == set(json.loads((lora_concept/'subattr.json').read_text())['lora']['targets'])

def test_kohya_file_round_trips_through_diffusers(lora_concept, tmp_path):
    from subattr.models import load_pipeline
    k = tmp_path/'k.safetensors'
    r = run('export', lora_concept, '--out', k)
    assert r.returncode == 0 and '52 modules' in r.stdout, r.stderr
    from safetensors import safe_open
    keys = list(safe_open(str(k), 'pt').keys())
    assert all(x.startswith('lora_unet_') and x.endswith(('.lora_down.weight', '.lora_up.weight', '.alpha')) for x in keys)
    a, b = load_pipeline('tiny', progress=False), load_pipeline('tiny', progress=False)
    a.load_lora_weights(str(lora_concept)); b.load_lora_weights(str(k))
    assert np.abs(_draw(a) - _draw(b)).max() < 1e-5

def test_blocks_lora_shows_the_blocks_touched(lora_concept, tmp_path):
    r = run('blocks', 'tiny', '--lora', lora_concept, '--depth', '0', '--json', '--plot', tmp_path/'n.png')
    assert r.returncode == 0, r.stderr
    norms = json.loads(r.stdout)
    assert norms and all(k.startswith('down_blocks') and v > 0 for k, v in norms.items())   # seed-shape: the down blocks
    assert (tmp_path/'n.png').stat().st_size > 1000

def test_select_cuts_a_lora_in_two(lora_concept, tmp_path):
    from subattr.models import load_pipeline
    for spec, f in (('down_blocks.0,down_blocks.1', 'a.safetensors'), ('down_blocks.2,down_blocks.3', 'b.safetensors')):
        r = run('export', lora_concept, '--select', spec, '--format', 'peft', '--out', tmp_path/f)
        assert r.returncode == 0, r.stderr
    na = json.loads(run('blocks', 'tiny', '--lora', tmp_path/'a.safetensors', '--depth', '0', '--json').stdout)
    nb = json.loads(run('blocks', 'tiny', '--lora', tmp_path/'b.safetensors', '--depth', '0', '--json').stdout)
    whole = json.loads(run('blocks', 'tiny', '--lora', lora_concept, '--depth', '0', '--json').stdout)
    assert set(na) == {'down_blocks.0', 'down_blocks.1'} and set(nb) == {'down_blocks.2', 'down_blocks.3'}
    assert all(abs({**na, **nb}[k] - v) < 1e-4 * max(1, v) for k, v in whole.items())

def test_full_weights_merge_into_a_unet_folder(ref, tmp_path):
    from diffusers import UNet2DConditionModel
    from subattr.models import load_pipeline
    from subattr.generate import generate
    c = tmp_path/'full'
    assert run('train', '--model', 'tiny', '--image', ref, '--attribute', 'shape', '--mode', 'blocks', '--steps', '2', '--lr-blocks', '0.01',
               '--out', c, '--quiet', '--threads', '1').returncode == 0
    r = run('export', c, '--format', 'unet', '--out', tmp_path/'unet')
    assert r.returncode == 0, r.stderr
    p = load_pipeline('tiny', progress=False); p.unet = UNet2DConditionModel.from_pretrained(str(tmp_path/'unet'))
    a = np.asarray(generate(load_pipeline('tiny', progress=False), 'a sks', [c], seed=0, steps=2)[0], float)
    b = np.asarray(p('a sks', num_inference_steps=2, generator=torch.Generator().manual_seed(0)).images[0], float)
    assert np.abs(a - b).max() <= 1

def test_export_refusals(lora_concept, tmp_path):
    (tmp_path/'dir').mkdir()
    (tmp_path/'full').mkdir(); (tmp_path/'full'/'x').write_text('x')
    cases = [(('export', tmp_path/'nope', '--out', tmp_path/'o.safetensors'), 'does not exist'),
             (('export', lora_concept/'pytorch_lora_weights.safetensors', '--out', tmp_path/'o.safetensors'), 'give the base model'),
             (('export', lora_concept, '--select', 'up_blocks.1', '--out', tmp_path/'o.safetensors'), 'touches nothing'),
             (('export', lora_concept, '--format', 'unet', '--out', tmp_path/'u'), 'no full-weight deltas'),
             (('export', lora_concept, '--out', tmp_path/'dir'), 'is a folder'),
             (('export', lora_concept, '--format', 'unet', '--out', tmp_path/'full'), 'not empty'),
             (('blocks', 'tiny', '--plot', tmp_path/'p.png'), 'give --lora'),
             (('blocks', 'tiny', '--lora', tmp_path/'dir'), 'is not a LoRA file')]
    for args, msg in cases:
        r = run(*args)
        assert r.returncode == 1 and msg in r.stderr and len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
    assert not (tmp_path/'o.safetensors').exists() and not (tmp_path/'p.png').exists()

def test_reads_diffusers_older_processor_keys(lora_concept, tmp_path):
    "`…attn1.processor.to_q_lora.down.weight` (diffusers' older spelling) reads as the same LoRA."
    from safetensors.torch import load_file, save_file
    from subattr.export import read_lora
    from subattr.models import load_unet
    sd = load_file(str(lora_concept/'pytorch_lora_weights.safetensors'))
    old = {}
    for k, v in sd.items():
        m = re.match(r'unet\.(.+\.attn[12])\.(to_q|to_k|to_v|to_out)(?:\.0)?\.lora_([AB])\.weight$', k)
        old[f"unet.{m[1]}.processor.{m[2]}_lora.{'down' if m[3] == 'A' else 'up'}.weight" if m else k] = v
    save_file(old, str(tmp_path/'old.safetensors'))
    unet = load_unet('tiny')
    a, b = read_lora(lora_concept, unet), read_lora(tmp_path/'old.safetensors', unet)
    assert set(a) == set(b) and all(torch.equal(a[k]['up'], b[k]['up']) for k in a)
