"""Stand-in for the torchvision.transforms classes diffusers' training examples use (benchmark use only)."""
import enum, torch
from PIL import Image
from . import functional

class InterpolationMode(enum.Enum):
    NEAREST = 'nearest'; BILINEAR = 'bilinear'; BICUBIC = 'bicubic'; BOX = 'box'; HAMMING = 'hamming'; LANCZOS = 'lanczos'

_PIL = {InterpolationMode.NEAREST: Image.NEAREST, InterpolationMode.BILINEAR: Image.BILINEAR, InterpolationMode.BICUBIC: Image.BICUBIC,
        InterpolationMode.BOX: Image.BOX, InterpolationMode.HAMMING: Image.HAMMING, InterpolationMode.LANCZOS: Image.LANCZOS}

def _pair(size): return (size, size) if isinstance(size, int) else tuple(size)

class Compose:
    def __init__(self, transforms): self.transforms = list(transforms)
    def __call__(self, x):
        for t in self.transforms: x = t(x)
        return x

class Resize:
    def __init__(self, size, interpolation=InterpolationMode.BILINEAR, **_): self.size, self.interpolation = size, interpolation
    def __call__(self, img): return functional.resize(img, self.size, _PIL.get(self.interpolation, self.interpolation))

class CenterCrop:
    def __init__(self, size): self.size = _pair(size)
    def __call__(self, img): return functional.center_crop(img, self.size)

class RandomCrop:
    def __init__(self, size, **_): self.size = _pair(size)
    @staticmethod
    def get_params(img, output_size):
        "(top, left, height, width) of a random crop of `output_size` inside `img`."
        h, w = output_size
        top = int(torch.randint(0, img.height - h + 1, (1,)).item()); left = int(torch.randint(0, img.width - w + 1, (1,)).item())
        return top, left, h, w
    def __call__(self, img): return functional.crop(img, *self.get_params(img, self.size))

class RandomHorizontalFlip:
    def __init__(self, p=0.5): self.p = p
    def __call__(self, img): return functional.hflip(img) if torch.rand(1).item() < self.p else img

class ToTensor:
    def __call__(self, img): return functional.to_tensor(img)

class Normalize:
    def __init__(self, mean, std): self.mean, self.std = mean, std
    def __call__(self, t): return functional.normalize(t, self.mean, self.std)
