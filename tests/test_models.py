"Loading the way users' models arrive: local diffusers folders (SD and SDXL), bad folders, files, hub ids."
import json, shutil
import numpy as np, pytest, torch
from conftest import run
from subattr.core import SubattrError
from subattr.models import load_pipeline, load_unet, random_configs, unet_arch, tiny_pipeline
from subattr.blocks import BlockMap

def _config_only_folder(path, pipeline_class, unet_cfg):
    "A diffusers folder holding only model_index.json and unet/config.json (all a block map reads)."
    (path/'unet').mkdir(parents=True)
    (path/'model_index.json').write_text(json.dumps({'_class_name': pipeline_class, 'unet': ['diffusers', 'UNet2DConditionModel']}))
    (path/'unet'/'config.json').write_text(json.dumps(unet_cfg))
    return path

def test_folder_roundtrip_same_pixels(tiny_folder):
    gen = lambda p: p('a red star', num_inference_steps=2, generator=torch.Generator().manual_seed(0), output_type='np').images
    pipe = load_pipeline(tiny_folder, progress=False)
    assert type(pipe).__name__ == 'StableDiffusionPipeline'
    assert np.allclose(gen(pipe), gen(tiny_pipeline(0, progress=False)), atol=1e-5)

def test_folder_blocks_cli(tiny_folder):
    r = run('blocks', tiny_folder, '--json')
    assert r.returncode == 0, r.stderr
    assert sum(x['kind'] == 'attn2' for x in json.loads(r.stdout)) == 10

@pytest.mark.parametrize('arch, cls, want', [('sd15', 'StableDiffusionPipeline', 'sd1'), ('sd21', 'StableDiffusionPipeline', 'sd2'),
                                             ('sdxl', 'StableDiffusionXLPipeline', 'sdxl')])
def test_folder_architectures_told_apart(tmp_path, arch, cls, want):
    d = _config_only_folder(tmp_path/arch, cls, random_configs(arch)['unet'])
    unet = load_unet(d)
    assert unet.device.type == 'meta' and unet_arch(unet.config) == want
    assert BlockMap(unet).arch == want

def test_not_a_pipeline_folder(tmp_path):
    (tmp_path/'weights.bin').write_bytes(b'\0' * 10)
    with pytest.raises(SubattrError, match='no model_index.json'): load_pipeline(tmp_path)
    r = run('blocks', tmp_path)
    assert r.returncode == 1 and 'no model_index.json' in r.stderr and len(r.stderr.strip().splitlines()) == 1

def test_folder_without_unet(tmp_path):
    (tmp_path/'model_index.json').write_text(json.dumps({'_class_name': 'StableDiffusionPipeline'}))
    with pytest.raises(SubattrError, match='no unet/config.json'): load_unet(tmp_path)

def test_single_file_checkpoint_refused(tmp_path):
    f = tmp_path/'model.safetensors'; f.write_bytes(b'x')
    with pytest.raises(SubattrError, match='single'): load_pipeline(f)

def test_missing_sources_name_what_was_tried():
    for src in ('owner/does-not-exist', '/no/such/folder', 'tinny'):
        with pytest.raises(SubattrError) as e: load_pipeline(src)
        msg = str(e.value)
        assert 'built-in model' in msg and 'local folder' in msg and 'diffusers folder' in msg and '\n' not in msg

def test_random_architectures_reduced_width_run():
    pipe = load_pipeline('sd15-random', width=1/8, progress=False)
    bm = BlockMap(pipe)
    assert sum(r.kind == 'attn2' for r in bm.rows) == 16
    out = pipe.unet(torch.randn(1, 4, 16, 16), 10, encoder_hidden_states=torch.randn(1, 77, pipe.text_encoder.config.hidden_size)).sample
    assert out.shape == (1, 4, 16, 16)

@pytest.mark.parametrize('broken', ['index_list', 'unet_json'])
def test_broken_folders_are_one_line(tmp_path, broken):
    d = _config_only_folder(tmp_path/'m', 'StableDiffusionPipeline', random_configs('sd15')['unet'])
    if broken == 'index_list': (d/'model_index.json').write_text('[1, 2]')
    else: (d/'unet'/'config.json').write_text('{not json')
    r = run('blocks', d)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and 'Traceback' not in r.stderr, r.stderr
