"""Stand-in for torchvision, written for benchmarks/vs_diffusers.py: only the `transforms` its diffusers scripts use."""
from . import transforms
__version__ = '0.0+subattr-bench-stand-in'
