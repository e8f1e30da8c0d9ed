"""Generators of the reference benchmark models (random weights, valid ONNX).

FAMILIES maps each model family's name to its builder, a function from a numpy random
Generator to an onnx.ModelProto.
"""

from __future__ import annotations

import functools
from typing import Callable

import numpy as np
import onnx

from . import distilbert, mobilenet_v1, resnet50, yolov5s

FAMILIES: dict[str, Callable[[np.random.Generator], onnx.ModelProto]] = {
    "resnet50": resnet50.build,
    "mobilenet_v1": mobilenet_v1.build,
    "distilbert": distilbert.build,
    "distilbert-opset14": functools.partial(distilbert.build, opset=14),
    "yolov5s": yolov5s.build,
}
