"""Load the extraction pipeline once per process: the pinned spaCy model and our components.

Nothing loads at import: :func:`load_pipeline` builds the pipeline on first call and keeps it.
Components are spaCy factories registered under versioned names (``overhorizon_actors.v3`` ...)
and listed, in order, in ``pipeline.cfg`` beside this module.
"""

from __future__ import annotations

import importlib
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

CONFIG_FILE = "pipeline.cfg"


def pipeline_config() -> dict[str, Any]:
    """The parsed ``pipeline.cfg`` (TOML)."""
    text = resources.files("overhorizon.nlp").joinpath(CONFIG_FILE).read_text("utf-8")
    return tomllib.loads(text)


@lru_cache(maxsize=2)
def load_pipeline(package: str | None = None, *, gazetteer: str = "") -> Any:
    """Return the spaCy ``Language`` with our components, built once per process.

    ``gazetteer``: the gazetteer file for the places component (the ``gazetteer`` setting);
    empty for the default one (see ``overhorizon.geo.gazetteer.default_gazetteer_path``).
    """
    import spacy

    from overhorizon.nlp.components import register

    register()
    cfg = pipeline_config()
    nlp = spacy.load(package or cfg["model"]["package"])
    for name in cfg["components"]["order"]:
        block = cfg["components"][name]
        if "module" in block:  # a component of a later step registers itself on import
            importlib.import_module(block["module"])
        config = dict(block.get("config", {}))
        if gazetteer and block.get("gazetteer"):  # the component that takes the setting
            config["gazetteer"] = gazetteer
        where = {"before": block["before"]} if "before" in block else {}
        nlp.add_pipe(block["factory"], name=name, config=config, **where)
    return nlp


def pipeline_version() -> str:
    """Model package and version plus our component factory names: what re-runs compare."""
    from importlib.metadata import PackageNotFoundError, version

    cfg = pipeline_config()
    package = cfg["model"]["package"]
    try:
        model = f"{package}=={version(package.replace('_', '-'))}"
    except PackageNotFoundError:
        model = package
    factories = ",".join(
        cfg["components"][n].get("config", {}).get("impl", {}).get("@misc", n)
        for n in cfg["components"]["order"]
    )
    return f"{model};{factories}"
