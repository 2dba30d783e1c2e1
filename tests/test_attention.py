"Attention, features and attribution on the real layouts (CPU-sized), on a saved diffusers folder, and the `attention` command."
import json
import numpy as np, pytest, torch
from safetensors.torch import load_file
from subattr.core import SubattrError
from subattr.models import load_pipeline
from subattr.attention import AttentionStore, attention_layers, record, running_mean_bytes
from subattr.features import record_features
from subattr.cli import main

SD15_RES = [64]*2 + [32]*2 + [16]*2 + [8] + [16]*3 + [32]*3 + [64]*3   # cross-attention sides at 512 px

@pytest.fixture(scope='module')
def sd15(): return load_pipeline('sd15-random', width=1/8, progress=False)

def test_sd15_names_and_shapes(sd15):
    store, img = record(sd15, 'a photo of a red cat', steps=2, size=128)   # 16² latents: sides are SD15_RES / 4
    names = attention_layers(sd15, 'cross')
    assert len(names) == 16 and all(n.endswith('attn2') for n in names)
    assert [store.maps[n].shape for n in names] == [(1, r // 4, r // 4, 77) for r in SD15_RES]
    assert store.words[0][:7] == ['<|startoftext|>', 'a', 'photo', 'of', 'a', 'red', 'cat']
    assert img.shape == (1, 128, 128, 3)
    assert running_mean_bytes(load_pipeline('sd15-random', device='meta').unet) < 50 * 2**20

def test_sd15_recording_changes_no_pixel(sd15):
    _, plain = record(sd15, 'a red cat', steps=2, size=64, layers='mid_block')
    with AttentionStore(sd15, kind='both', max_self_res=None):
        rec = sd15('a red cat', num_inference_steps=2, guidance_scale=4., height=64, width=64, output_type='np',
                   generator=[torch.Generator().manual_seed(0)]).images
    assert (np.asarray(plain) == (rec * 255).round().astype(np.uint8)).all()

def test_sd15_features(sd15):
    fs, _ = record_features(sd15, 'a cat', 'up_blocks.1,down_blocks.2.resnets.1', steps=2, at=[1], size=128)
    f = fs.features   # 16² latents: up_blocks.1 upsamples 4² to 8²
    assert f['up_blocks.1'].shape[:2] == (1, 1) and f['up_blocks.1'].shape[-2:] == (8, 8)
    assert f['down_blocks.2.resnets.1'].shape[-2:] == (4, 4)

def test_sdxl_names_and_shapes():
    pipe = load_pipeline('sdxl-random', width=1/8, progress=False)
    store, _ = record(pipe, 'a red cat', steps=1, size=128)
    assert len(store.maps) == 70
    m = store.maps['up_blocks.0.attentions.1.transformer_blocks.9.attn2']
    assert m.shape == (1, 4, 4, 77) and m.dtype == torch.float16
    from subattr.attribution import OracleObjective, block_attribution
    from subattr.shapesworld import Oracle, Thing, render
    r = block_attribution(pipe, OracleObjective(Oracle.load(), 'shape', 'circle'), render(Thing('circle', 'red', 'plain')), 'a red circle',
                          timesteps=(500,), modules=['up_blocks.0.attentions.1'], method='gradcam')
    assert r['maps'][500]['up_blocks.0.attentions.1'].shape == (2, 2)

def test_command_on_a_saved_folder(tiny_folder, tmp_path):
    out = tmp_path/'maps'
    assert main(['attention', '--model', str(tiny_folder), '--prompt', 'a red circle', '--out', str(out), '--steps', '3', '--seed', '1']) == 0
    idx = json.loads((out/'index.json').read_text())
    maps = load_file(str(out/'maps.safetensors'))
    assert set(maps) == set(idx['layers']) and len(maps) == 10   # tiny: one layer per block stage
    assert idx['axes'] == ['prompt', 'y', 'x', 'key'] and idx['seed'] == 1 and idx['words'][0][1:4] == ['a', 'red', 'circle']
    assert all(list(maps[n].shape) == v['shape'] for n, v in idx['layers'].items())
    assert (out/'heatmaps.png').stat().st_size > 0 and (out/'image.png').exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith('.')]   # no temporary folder left behind

@pytest.mark.parametrize('args, msg', [(dict(model='tiny', prompt=''), 'prompt is empty'),
                                       (dict(model='nope/nope-x', prompt='a cat'), 'Could not load'),
                                       (dict(model='tiny', prompt='a cat', by='pixel'), "--by must be"),
                                       (dict(model='tiny', prompt='a cat', steps=0), '--steps must be')])
def test_command_errors(tmp_path, args, msg, capsys):
    argv = [f"--{k}={v}" for k, v in {**args, 'out': tmp_path/'o'}.items()]
    assert main(['attention', *argv]) == 1 and msg.replace('--', '') in capsys.readouterr().err
    assert not (tmp_path/'o').exists()

def test_command_never_overwrites(tmp_path, capsys):
    att = lambda out: (main(['attention', '--model', 'tiny', '--prompt', 'a cat', '--out', str(out)]), capsys.readouterr().err)
    f = tmp_path/'file'; f.write_text('mine')
    rc, err = att(f); assert rc == 1 and 'is a file' in err
    d = tmp_path/'full'; d.mkdir(); (d/'x').write_text('mine')
    rc, err = att(d); assert rc == 1 and 'not empty' in err
    assert f.read_text() == 'mine' and (d/'x').read_text() == 'mine'
    rc, err = att(tmp_path/'no'/'deeper'); assert rc == 1 and 'does not exist' in err

def test_anno_parser_reads_the_signature():
    from fastcore.script import anno_parser
    from subattr.cli import attention
    ns = anno_parser(attention).parse_args(['--model', 'tiny', '--prompt', 'a cat', '--out', 'd', '--steps', '5', '--size', '64'])
    assert (ns.model, ns.prompt, ns.out, ns.steps, ns.size, ns.width) == ('tiny', 'a cat', 'd', 5, 64, 1.0)

def test_word_maps_take_cross_attention_by_kind():
    "A self-attention map can have as many keys as the prompt has tokens: word_maps must still skip it."
    from subattr.attention import word_maps, prompt_tokens
    toy = load_pipeline('toy', progress=False)
    T, f = toy.tokenizer.model_max_length, toy.vae_scale_factor
    # a latent of h × T/h (pixel sides divisible by 8): its first level's self-attention has T keys
    h = next(d for d in range(2, T) if T % d == 0 and d * f % 8 == 0 and T // d * f % 8 == 0)
    with AttentionStore(toy, kind='both', max_self_res=None) as store:
        toy('a red circle', height=h * f, width=T // h * f, num_inference_steps=2, guidance_scale=4.,
            generator=torch.Generator().manual_seed(0), output_type='latent')
    store.words = [prompt_tokens(toy.tokenizer, 'a red circle')]
    lookalikes = [n for n, m in store.maps.items() if n.endswith('attn1') and m.shape[-1] == T]
    assert lookalikes, 'the first level should have self-attention maps with as many keys as the prompt has tokens'
    maps = word_maps(store, 'circle')
    assert maps and all(n.endswith('attn2') for n in maps) and not set(lookalikes) & set(maps)

@pytest.mark.parametrize('size', [40, 56, 72])
def test_maps_at_odd_latent_sides(size):
    "A latent side that halves with rounding up (5 → 3 → 2) still gives each layer its map."
    tiny = load_pipeline('tiny', progress=False)
    store, img = record(tiny, 'a red circle', steps=1, size=size)
    sides = {m.shape[1:3] for m in store.maps.values()}
    assert img.shape[1] == size and (size // 8, size // 8) in sides and all(h == w for h, w in sides)
