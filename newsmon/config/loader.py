"""One way to read a config file: YAML with line numbers, a declared schema, one error line.

Every file in config/ goes through :func:`load`: parsed with PyYAML's safe loader,
duplicate keys refused, alias expansion bounded (a few anchors must not expand into
millions of nodes), then validated by a pydantic model. The first problem becomes a
:class:`~newsmon.errors.ConfigError` such as::

    config file config/sources.yaml line 212: sources[14] (gov_hebei).discovery[0].list.max_page:
    unknown key; did you mean 'max_pages'?

Results are cached by (path, size, mtime): a long-running process (the scheduler,
the test suite) sees an edited file, and nothing is parsed twice otherwise. That is
the one caching policy for config; objects built from several files (the lexicon)
key their own cache on the stamps of the files they were built from.
"""

from __future__ import annotations

import difflib
import threading
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from newsmon.errors import ConfigError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[Any, ...]
MAX_NODES = 200_000        # nodes after alias expansion: far above any real config file
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when PyYAML has it: 10x faster, same nodes
_cache: dict[tuple, "Loaded"] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class Loaded(Generic[M]):
    """A validated config file: its model, where each key sits, and the stamp it was read at."""

    path: Path
    data: M
    lines: dict[Loc, int]
    stamp: tuple

    def error(self, loc: Loc, message: str) -> ConfigError:
        """A ConfigError about one key of this file (for checks across entries or files)."""
        return ConfigError(f"{where(self.path, self.lines, loc, self.data)}: {message}")


def stamp(path: Path) -> tuple:
    """What identifies one version of a file: path, size, modification time (nanoseconds)."""
    st = path.stat()
    return (str(path), st.st_size, st.st_mtime_ns)


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config file {path} is not UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror or exc}") from None


def load(path: Path, schema: type[M]) -> Loaded[M]:
    """Read and validate one YAML file (cached until the file changes); ConfigError on any problem."""
    try:
        key = (stamp(path), schema)
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as exc:
        raise ConfigError(f"config file {path} cannot be read: {exc.strerror or exc}") from None
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return hit
    raw, lines = parse_yaml(read_text(path), str(path))
    loaded = Loaded(path, validate(raw, schema, path, lines), lines, key[0])
    with _lock:
        _cache[key] = loaded
    return loaded


def validate(raw: Any, schema: type[M], path: Path | str, lines: dict[Loc, int]) -> M:
    try:
        return schema.model_validate({} if raw is None else raw)
    except ValidationError as exc:
        raise ConfigError(describe(exc, schema, path, lines, raw)) from None


# --- YAML with line numbers ----------------------------------------------------------------
def parse_yaml(text: str, label: str) -> tuple[Any, dict[Loc, int]]:
    """(data, {key path: 1-based line}) of a YAML text; ConfigError with line and column on bad syntax."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, {}
        lines: dict[Loc, int] = {}
        _walk(node, (), lines, label, {})
        return loader.construct_document(node), lines
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(f"config file {label}{at}: {exc.problem or exc.context or 'invalid YAML'}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"config file {label}: {exc}") from None
    except ValueError as exc:  # a scalar YAML types but cannot build, e.g. the date 2026-13-01
        raise ConfigError(f"config file {label}: {exc}") from None
    finally:
        loader.dispose()


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int], label: str, sizes: dict[int, int]) -> int:
    """Record the line of every key and item; refuse duplicate keys; return the expanded size."""
    if id(node) in sizes:                       # an alias: counted again, not walked again
        return sizes[id(node)]
    size = 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key == "<<":                     # merge key: its mapping's keys become ours
                size += _walk(value, loc, lines, label, sizes)
                continue
            key = _scalar(key_node)
            line = key_node.start_mark.line + 1
            if key in seen:
                raise ConfigError(f"config file {label} line {line}: {fmt_loc(loc + (key,))}: "
                                  f"key given twice (first on line {seen[key]})")
            seen[key] = line
            lines.setdefault(loc + (key,), line)
            size += _walk(value, loc + (key,), lines, label, sizes)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            lines.setdefault(loc + (i,), item.start_mark.line + 1)
            size += _walk(item, loc + (i,), lines, label, sizes)
    sizes[id(node)] = size
    if size > MAX_NODES:
        raise ConfigError(f"config file {label} line {node.start_mark.line + 1}: aliases expand to more than "
                          f"{MAX_NODES} values; write the data out instead of nesting anchors")
    return size


def _scalar(node: yaml.Node) -> Any:
    """A mapping key as the safe loader constructs it (123 stays an int, 'a' a str)."""
    if not isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    return yaml.SafeLoader("").construct_scalar(node) if node.tag.endswith(":str") else _resolve(node)


def _resolve(node: yaml.ScalarNode) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node)
    finally:
        loader.dispose()


# --- errors ---------------------------------------------------------------------------------
def fmt_loc(loc: Loc, data: Any = None) -> str:
    """sources[3] (people).discovery[0].list.url: readable, with the entry's name where it has one."""
    out, node = "", data
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = _child(node, part)
            name = node.get("name") if isinstance(node, dict) else getattr(node, "name", None)
            if isinstance(name, str) and name:
                out += f" ({name})"
        else:
            out += ("." if out else "") + str(part)
            node = _child(node, part)
    return out


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, (list, tuple)) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    if isinstance(node, BaseModel):
        return getattr(node, str(part), None)
    return None


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """Line of a key path; a path the schema rewrote (a discovery's method level) is matched loosely."""
    for n in range(len(loc), 0, -1):
        if loc[:n] in lines:
            exact = lines[loc[:n]]
            if n == len(loc):
                return exact
            break
    else:
        exact = None
    # the key may sit one level deeper in the file than in the schema (discovery: - list: {max_page: 1})
    if loc:
        deeper = [p for p in lines if p[-1] == loc[-1] and len(p) == len(loc) + 1 and p[:len(loc) - 1] == loc[:-1]]
        if deeper:
            return lines[deeper[0]]
    return exact


def where(path: Path | str, lines: dict[Loc, int], loc: Loc, data: Any = None) -> str:
    line = line_of(lines, loc)
    at = f" line {line}" if line else ""
    return f"config file {path}{at}" + (f": {fmt_loc(loc, data)}" if loc else "")


def describe(exc: ValidationError, schema: type[BaseModel], path: Path | str, lines: dict[Loc, int], raw: Any) -> str:
    """The first validation error as one line: file, line, key path, what is wrong."""
    err = _first(exc.errors(include_url=False))
    loc = _yaml_loc(tuple(err["loc"]), raw)
    return f"{where(path, lines, loc, raw)}: {_message(err, schema, loc)}"


def _first(errors: list[dict]) -> dict:
    """The error that explains the others: a misspelled key before the required key it leaves missing,
    a specific error before a union's summary, the deepest first."""
    rank = {"extra_forbidden": 3, "missing": 1, "union_tag_invalid": 0}
    return max(errors, key=lambda e: (rank.get(e["type"], 2), len(e["loc"])))


_TYPE_NAMES = {"str", "int", "float", "bool", "list", "dict", "none"}


def _is_tag(part: str) -> bool:
    """pydantic's name for a union branch or validator (``function-after[…]``, ``str``), not a key."""
    return any(c in part for c in "[](),") or part in _TYPE_NAMES


def _yaml_loc(loc: Loc, raw: Any) -> Loc:
    """Drop pydantic's internal loc parts (union branches, validators, [key] markers) that are not in the file."""
    out: list[Any] = []
    node = raw
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(part, str):
            present = isinstance(node, dict) and part in node
            if not present and (_is_tag(part) or not last):
                if isinstance(node, dict):  # a discriminated union's tag: the method key one level down
                    nested = next((v for k, v in node.items() if k == part and isinstance(v, dict)), None)
                    if nested is not None:
                        out.append(part)
                        node = nested
                continue
        out.append(part)
        node = _child(node, part)
    return tuple(out)


def _message(err: dict, schema: type[BaseModel], loc: Loc) -> str:
    kind, given = err["type"], err.get("input")
    if kind == "extra_forbidden":
        allowed = allowed_keys(schema, loc[:-1])
        near = difflib.get_close_matches(str(loc[-1]), sorted(allowed), n=1, cutoff=0.6)
        hint = f"; did you mean '{near[0]}'?" if near else (f"; expected one of {', '.join(sorted(allowed))}"
                                                             if allowed else "")
        return f"unknown key{hint}"
    if kind == "missing":
        return "required key is missing"
    if kind in ("bool_type", "bool_parsing"):
        return f"expected true or false, got {given!r}"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected a whole number, got {given!r}"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number, got {given!r}"
    if kind in ("string_type",):
        return f"expected text, got {given!r}"
    if kind in ("list_type",):
        return f"expected a list, got {given!r}"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return f"expected a mapping, got {given!r}"
    if kind == "literal_error":
        return f"{err['msg'].replace('Input should be', 'expected')}, got {given!r}"
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    return msg


def allowed_keys(schema: type[BaseModel], loc: Loc) -> set[str]:
    """The keys the schema accepts at a path (for 'did you mean')."""
    found: set[str] = set()
    for model in _models_at(schema, loc):
        for name, info in model.model_fields.items():
            found.add(info.alias or name)
        found |= set(getattr(model, "EXTRA_KEYS", ()))
    return found


def _models_at(tp: Any, loc: Loc) -> list[type[BaseModel]]:
    current = [tp]
    for part in loc:
        nxt = []
        for t in current:
            nxt.extend(_step(t, part))
        current = nxt
    return [t for t in _flatten(current) if isinstance(t, type) and issubclass(t, BaseModel)]


def _flatten(types_: list[Any]) -> list[Any]:
    out = []
    for t in types_:
        origin = typing.get_origin(t)
        if origin is typing.Annotated:
            out.extend(_flatten([typing.get_args(t)[0]]))
        elif origin in (typing.Union, types.UnionType):
            out.extend(_flatten(list(typing.get_args(t))))
        else:
            out.append(t)
    return out


def _step(tp: Any, part: Any) -> list[Any]:
    out = []
    for t in _flatten([tp]):
        origin = typing.get_origin(t)
        if isinstance(t, type) and issubclass(t, BaseModel):
            field = t.model_fields.get(str(part))
            if field is None:
                field = next((f for f in t.model_fields.values() if f.alias == part), None)
            if field is not None:
                out.append(field.annotation)
            elif isinstance(part, str):  # a union branch tag in pydantic's loc, or a nested method key
                out.append(t)
        elif origin in (list, tuple) and isinstance(part, int):
            out.append(typing.get_args(t)[0])
        elif origin is dict:
            out.append(typing.get_args(t)[1])
    return out
