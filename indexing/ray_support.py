"""The optional scale-out dependencies: imported only when asked for, with a clear message.

``ray[data]`` (and the pyarrow it brings) is the ``[scale]`` extra: the default install
stays lean, and a command that needs it says what to install instead of a traceback.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from cqa_core.errors import ScaleNotInstalledError

INSTALL_HINT = 'pip install -e ".[scale]"'


def require(module: str) -> ModuleType:
    """Import ``module`` (e.g. ``ray.data``), or say which extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        top = module.split(".", 1)[0]
        raise ScaleNotInstalledError(
            f"{top} is not installed; it comes with the scale-out extra: {INSTALL_HINT}"
        ) from exc
