"""The ``heavy`` pool: compiles of extensions marked ``heavy = true`` run a few at a time.

Ninja runs as many commands as ``-j`` allows, and a C++ file full of templates,
or a compile with ``-flto``, can take gigabytes: several at once exhaust memory.
Their compile statements go to ``heavy_pool`` (depth ``[tool.ninjagen]
heavy-jobs``, default 1) while the other compiles keep running beside them.
Links have their own pool already (``link_pool``, ``link-jobs``).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

__all__ = ["HEAVY_POOL", "apply_heavy_pool"]

HEAVY_POOL = "heavy_pool"


def apply_heavy_pool(cc: Any, extensions: Sequence[Any], built: Sequence[Any], depth: int) -> list[str]:
    """Put the compile statements of the heavy *extensions* in :data:`HEAVY_POOL`; return their objects.

    *built* are the configured modules (``BuiltExtension``: name and output);
    the objects are the compile outputs that the module's link statement reads.
    An object that a heavy and a light extension share goes to the pool too.
    """
    heavy = {ext.name for ext in extensions if getattr(ext, "heavy", False)}
    outputs = [b.output for b in built if b.name in heavy]
    if not outputs:
        return []
    graph = cc.graph
    graph.pool(HEAVY_POOL, depth)
    pooled = []
    for output in outputs:
        link = graph.edges.get(output)
        for obj in link.inputs if link is not None else ():
            edge = graph.edges.get(obj)
            if edge is not None and edge.rule in cc.compile_rules and edge.pool != HEAVY_POOL:
                graph.edges[obj] = replace(edge, pool=HEAVY_POOL)
                pooled.append(obj)
    return pooled
