"""Records to JSON-ready values and back, generically, from the dataclasses' type hints.

:func:`to_jsonable` is how every record leaves the process (report, store, checkpoints);
:func:`from_jsonable` rebuilds the typed record, so a story read back from a store or a
checkpoint is a :class:`~presslens.model.Story` again, not a dictionary.  A new field needs
no code here: the type hints say how to read it back.  :func:`pack_state` and
:func:`unpack_state` do the same for a stage's saved state (JSON metadata and numpy arrays,
loaded without pickle).
"""

from __future__ import annotations

import dataclasses
import io
import json
import types
import typing
import zlib
from collections.abc import Mapping
from functools import cache
from typing import Any, TypeVar

import numpy as np
import numpy.typing as npt

T = TypeVar("T")


#: values that are their own JSON form
_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None)})


def to_jsonable(value: Any) -> Any:
    """Dataclasses to dicts (``None`` fields dropped), tuples/sets to lists, mappings to dicts."""
    # every record of a run passes through here (checkpoint, report, store), so the common
    # cases are decided by the exact type, and a dataclass's field names are looked up once
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _field_names(kind)
    if names is not None:
        out: dict[str, Any] = {}
        for name in names:
            v = getattr(value, name)
            if v is not None:
                out[name] = v if type(v) in _PLAIN else to_jsonable(v)
        return out
    if kind is list or kind is tuple or isinstance(value, tuple | list):
        return [v if type(v) in _PLAIN else to_jsonable(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        return [to_jsonable(v) for v in sorted(value, key=str)]
    return value


#: dataclass type → its field names; any other type → None (a plain dict, not
#: ``functools.cache``: its wrapper made every conversion about 5-10% slower)
_FIELD_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(kind: type) -> tuple[str, ...] | None:
    """The field names of the dataclass ``kind``, or ``None`` for any other type."""
    try:
        return _FIELD_NAMES[kind]
    except KeyError:
        names = (
            tuple(f.name for f in dataclasses.fields(kind))
            if dataclasses.is_dataclass(kind)
            else None
        )
        _FIELD_NAMES[kind] = names
        return names


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _decode(hint: Any, value: Any) -> Any:
    if hint is Any or value is None:
        return value
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        if len(options) == 1:
            return _decode(options[0], value)
        # str | int and the like: the value already has one of the types
        for option in options:
            dataclass_type = isinstance(option, type) and dataclasses.is_dataclass(option)
            if dataclass_type and isinstance(value, Mapping):
                return from_jsonable(option, value)
        return value
    if origin is tuple:
        item = args[0] if args else Any
        return tuple(_decode(item, v) for v in value)
    if origin in (list, typing.get_origin(list[Any])):
        return [_decode(args[0] if args else Any, v) for v in value]
    if origin in (dict, Mapping, typing.get_origin(Mapping[str, Any])):
        item = args[1] if len(args) == 2 else Any
        return {k: _decode(item, v) for k, v in value.items()}
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return from_jsonable(hint, value)
    if hint is float and isinstance(value, int):
        return float(value)
    return value


def from_jsonable(cls: type[T], value: Mapping[str, Any]) -> T:
    """The record of type ``cls`` that :func:`to_jsonable` turned into ``value``.

    Fields missing from ``value`` take their defaults (``to_jsonable`` drops ``None``); keys
    that are not fields of ``cls`` (a newer writer's additions) are ignored.
    """
    if not dataclasses.is_dataclass(cls):
        raise TypeError(f"{cls!r} is not a dataclass")
    hints = _hints(cls)
    kwargs: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        if f.name in value:
            kwargs[f.name] = _decode(hints[f.name], value[f.name])
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            kwargs[f.name] = None
    return cls(**kwargs)


def pack_state(meta: Mapping[str, Any], arrays: Mapping[str, npt.NDArray[Any]]) -> dict[str, bytes]:
    """A stage's state as two byte strings: ``meta`` (zlib JSON) and ``arrays`` (``.npz``)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)  # type: ignore[arg-type]
    blob = zlib.compress(json.dumps(meta, ensure_ascii=False).encode("utf-8"), 6)
    return {"meta": blob, "arrays": buf.getvalue()}


def unpack_state(
    parts: Mapping[str, bytes],
) -> tuple[dict[str, Any], dict[str, npt.NDArray[Any]]]:
    """What :func:`pack_state` packed; raises ``ValueError`` when the parts are damaged."""
    try:
        meta: dict[str, Any] = json.loads(zlib.decompress(parts["meta"]).decode("utf-8"))
        with np.load(io.BytesIO(parts["arrays"]), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
    except (OSError, zlib.error, KeyError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"damaged state: {exc}") from exc
    return meta, arrays
