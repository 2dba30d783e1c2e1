"Readout: tidy tables written atomically and refused cleanly, and CLIP similarity with a tiny random CLIP."
import json, os
import numpy as np, pytest, torch
from PIL import Image
from subattr.core import SubattrError
from subattr.readout import Rate, clip_similarity, rate_ci, read_table, reading_row, summarize, write_table
from subattr.shapesworld import Thing, render

def _rows():
    ref = Thing('star', 'red', 'striped')
    asks = [Thing('square', 'red', 'striped'), Thing('star', 'blue', 'dotted'), None]
    reads = [{'shape': 'square', 'color': 'red', 'texture': 'striped'}, {'shape': 'star', 'color': 'red', 'texture': 'striped'},
             {'shape': 'star', 'color': 'red', 'texture': 'striped'}]
    return [reading_row(r, ref, a, selection='up_blocks.1', reference='r0', seed=i, kind='reconstruction' if a is None else 'edit',
                        prompt='a <r>' if a is None else 'a <r> as x') for i, (r, a) in enumerate(zip(reads, asks))]

def test_round_trip_and_column_order(tmp_path):
    rows = _rows()
    jp, cp = write_table(rows, tmp_path/'probe')
    assert (jp.name, cp.name) == ('probe.json', 'probe.csv')
    assert read_table(jp) == rows == read_table(tmp_path/'probe')
    header = cp.read_text().splitlines()[0].split(',')
    assert header == list(rows[0]) and header[:5] == ['selection', 'reference', 'seed', 'kind', 'prompt']
    assert len(cp.read_text().splitlines()) == 1 + len(rows)
    assert read_table(cp)[2]['asked_shape'] is None            # None becomes an empty cell, read back as None
    assert sorted(p.name for p in tmp_path.iterdir()) == ['probe.csv', 'probe.json']   # no temporary files left

def test_summary_rates_flatten(tmp_path):
    summ = summarize(_rows())
    assert isinstance(summ[0]['shape_from_prompt'], Rate)
    write_table(summ, tmp_path/'summary')
    back = read_table(tmp_path/'summary.json')[0]
    assert back['shape_from_prompt'] == 1.0 and back['shape_from_prompt_n'] == 1 and back['reconstruction'] == 1.0
    assert {'shape_from_prompt_lo', 'shape_from_prompt_hi', 'shape_from_prompt_method'} <= set(back)
    assert back['appearance_from_prompt'] == 0.0

def test_nan_and_numpy_cells(tmp_path):
    write_table([{'x': np.int64(3), 'y': np.float32(.25), 'z': float('nan'), 'l': [1, np.float64(2.5)]}], tmp_path/'t')
    assert read_table(tmp_path/'t') == [{'x': 3, 'y': .25, 'z': None, 'l': [1, 2.5]}]
    assert json.loads((tmp_path/'t.json').read_text())   # strict JSON: no NaN tokens
    assert 'NaN' not in (tmp_path/'t.json').read_text()

def test_failed_write_keeps_the_old_table(tmp_path, monkeypatch):
    stem = tmp_path/'probe'; write_table([{'a': 1}], stem)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    def boom(*a, **k): raise OSError(28, 'No space left on device')
    monkeypatch.setattr(os, 'replace', boom)
    with pytest.raises(SubattrError, match='No space left on device'): write_table([{'a': 2}], stem)
    monkeypatch.undo()
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before   # old table intact, no temporaries
    with pytest.raises(SubattrError, match="Column 'a' holds a set"): write_table([{'a': {1}}], stem)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before

@pytest.mark.parametrize('make, msg', [(lambda d: d/'missing'/'t', 'does not exist'), (lambda d: d/'file.txt'/'t', 'is a file, not a folder')])
def test_bad_paths(tmp_path, make, msg):
    (tmp_path/'file.txt').write_text('x')
    with pytest.raises(SubattrError, match=msg) as e: write_table([{'a': 1}], make(tmp_path))
    assert '\n' not in str(e.value)

def test_bad_rows_and_bad_files(tmp_path):
    with pytest.raises(SubattrError, match='list of dicts'): write_table({'a': 1}, tmp_path/'t')
    with pytest.raises(SubattrError, match='No table'): read_table(tmp_path/'none')
    (tmp_path/'bad.json').write_text('{not json'); (tmp_path/'obj.json').write_text('{"a": 1}')
    with pytest.raises(SubattrError, match='is not a JSON table'): read_table(tmp_path/'bad.json')
    with pytest.raises(SubattrError, match='not a list of rows'): read_table(tmp_path/'obj')

def test_bootstrap_is_seeded_and_clustered():
    s, g = np.repeat([1, 0, 1, 1, 0, 1], 4), np.repeat(list('abcdef'), 4)
    assert rate_ci(s, g, seed=3) == rate_ci(s, g, seed=3)
    b, w = rate_ci(s, g), rate_ci(s)
    assert b.method == 'bootstrap' and w.method == 'wilson' and b.hi - b.lo > w.hi - w.lo

# --- CLIP ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope='module')
def tiny_clip():
    from transformers import CLIPConfig, CLIPModel
    from subattr.models import load_clip_tokenizer
    tok = load_clip_tokenizer()
    small = dict(hidden_size=32, intermediate_size=64, num_hidden_layers=1, num_attention_heads=2)
    torch.manual_seed(0)
    model = CLIPModel(CLIPConfig(text_config=dict(vocab_size=len(tok), bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                                                  pad_token_id=tok.pad_token_id, **small),
                                 vision_config=dict(image_size=32, patch_size=8, **small), projection_dim=16)).eval()
    return model, tok

def test_clip_with_processor_tokenizer_and_paths(tiny_clip, tmp_path):
    from transformers import CLIPImageProcessor, CLIPProcessor
    model, tok = tiny_clip
    ims = [render(Thing('star', 'red', 'striped')), render(Thing('square', 'blue', 'dotted'))]
    paths = []
    for i, im in enumerate(ims): p = tmp_path/f'{i}.png'; Image.fromarray(im).save(p); paths.append(p)
    ip = CLIPImageProcessor(size={'shortest_edge': 32}, crop_size={'height': 32, 'width': 32})
    texts = ['a red striped star', 'a blue dotted square', 'a green ring']
    a = clip_similarity(ims, texts=texts, ref_images=ims, clip=model, processor=ip, tokenizer=tok)
    b = clip_similarity(paths, texts=texts, ref_images=paths, clip=model, processor=CLIPProcessor(image_processor=ip, tokenizer=tok))
    assert a['text'].shape == (2, 3) and a['image'].shape == (2, 2)
    np.testing.assert_allclose(a['text'], b['text'], atol=1e-5); np.testing.assert_allclose(a['image'], b['image'], atol=1e-5)
    np.testing.assert_allclose(np.diag(a['image']), 1, atol=1e-5)
    assert np.all(np.abs(a['text']) <= 1 + 1e-5)
    c = clip_similarity(ims[0], texts='a star', clip=model, tokenizer=tok)   # single image and text; no processor
    assert set(c) == {'text'} and c['text'].shape == (1, 1)

def test_clip_refusals(tiny_clip):
    model, tok = tiny_clip
    im = render(Thing('star', 'red', 'striped'))
    for kw, msg in [(dict(texts='a star'), 'needs a CLIP model'), (dict(texts='a star', clip=object()), 'needs a CLIP model'),
                    (dict(clip=model), 'Give texts or ref_images'), (dict(texts='a star', clip=model), 'needs a tokenizer')]:
        with pytest.raises(SubattrError, match=msg): clip_similarity(im, **kw)
    with pytest.raises(SubattrError, match='Cannot read an image'): clip_similarity(42, ref_images=im, clip=model)
