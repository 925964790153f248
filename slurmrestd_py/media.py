"""Media types: Accept negotiation, request-body parsing, response encoding.

JSON responses are encoded incrementally: a payload value that is an iterator
(not a list) is written element by element, so a list of 5000 jobs never
exists as one string in memory.
"""
from __future__ import annotations

import functools
import json
from typing import Any, Iterator

from . import convert
from .errors import HttpError

JSON = "application/json"
YAML_TYPES = ("application/x-yaml", "text/yaml")
_RESPONSE_TYPES = (JSON,) + YAML_TYPES


def negotiate(accept: str | None) -> str:
    """The response media type for an Accept header, honouring q-values.

    No header, */* or application/* give JSON; no acceptable type is a 415.
    """
    if not accept:
        return JSON
    ranges = []
    for order, item in enumerate(accept.split(",")):
        parts = [p.strip() for p in item.split(";")]
        mtype = parts[0].lower()
        if not mtype:
            continue
        q = 1.0
        for p in parts[1:]:
            name, _, value = p.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q <= 0:
            continue
        # Higher q first; among equals, more specific ranges, then header order.
        specificity = 0 if mtype == "*/*" else 1 if mtype.endswith("/*") else 2
        ranges.append((-q, -specificity, order, mtype))
    for _, _, _, mtype in sorted(ranges):
        if mtype in _RESPONSE_TYPES:
            return mtype
        if mtype in ("*/*", "application/*"):
            return JSON
        if mtype == "text/*":
            return "text/yaml"
    raise HttpError(415, "Accept content type is unknown")


def parse_body(content_type: str | None, body: bytes) -> Any:
    """A POST body as data, by its Content-Type (parameters such as charset allowed)."""
    if not body:
        return None
    mtype = (content_type or "").split(";")[0].strip().lower()
    try:
        if mtype in (JSON, ""):
            # Decoded strictly first: json.loads would let CESU-8 surrogates
            # through; then only \u escapes can still spell one.
            text = body.decode("utf-8")
            data = json.loads(text)
            if "\\u" in text:
                convert.text_only(data)
            return data
        if mtype in YAML_TYPES or mtype == "application/yaml":
            import yaml
            data = yaml.load(body, Loader=_loader())
            convert.text_only(data)
            return data
        if mtype == "application/x-www-form-urlencoded":
            return parse_query(body.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise HttpError(400, f"Unable to parse request body as {mtype or JSON}: {e}") from None
    except Exception as e:  # yaml.YAMLError, imported lazily
        raise HttpError(400, f"Unable to parse request body as {mtype}: {e}") from None
    raise HttpError(415, f"Unsupported request body content type: {mtype}")


def parse_query(query: str) -> dict[str, str]:
    """A query string as a flat dict; a repeated key keeps its last value."""
    if not query:
        return {}
    from urllib.parse import parse_qs
    try:
        parsed = {k: v[-1] for k, v in parse_qs(query, keep_blank_values=True,
                                                strict_parsing=True, errors="strict").items()}
    except ValueError:  # UnicodeDecodeError included: %ff is no UTF-8
        raise HttpError(400, "Unable to parse query.") from None
    if any("\0" in k or "\0" in v for k, v in parsed.items()):
        raise HttpError(400, "Unable to parse query.")  # %00: C would cut the value short
    return parsed


_encoder = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":"))


_FLUSH = 64 * 1024


class _Buffer:
    def __init__(self):
        self.parts: list[str] = []
        self.size = 0

    def emit(self, s: str) -> None:
        self.parts.append(s)
        self.size += len(s)

    def take(self) -> bytes:
        chunk = "".join(self.parts).encode()
        self.parts, self.size = [], 0
        return chunk


def encode_json(data: dict) -> Iterator[bytes]:
    """Yield `data` as JSON; iterator values are streamed in chunks of ~64 KiB."""
    out = _Buffer()
    yield from _walk(data, out)
    if out.parts:
        yield out.take()


def _walk(value, out: _Buffer) -> Iterator[bytes]:
    # Only dicts holding iterators are walked; everything else goes to the C encoder.
    if isinstance(value, dict) and any(_is_stream(v) for v in value.values()):
        sep = "{"
        for k, v in value.items():
            out.emit(sep + _encoder.encode(k) + ":")
            sep = ","
            yield from _walk(v, out)
        out.emit("}" if sep == "," else "{}")
    elif _is_stream(value):
        sep = "["
        for item in value:
            out.emit(sep + _encoder.encode(item))
            sep = ","
            if out.size >= _FLUSH:
                yield out.take()
        out.emit("]" if sep == "," else "[]")
    else:
        out.emit(_encoder.encode(value))


def _is_stream(v) -> bool:
    return hasattr(v, "__next__")


def materialize(data):
    """Turn streamed iterators into lists (for YAML, which is not streamed)."""
    if isinstance(data, dict):
        return {k: materialize(v) for k, v in data.items()}
    if _is_stream(data):
        return [materialize(v) for v in data]
    return data


@functools.cache
def _loader():
    """A safe YAML loader that makes the data JSON could carry: dates stay
    strings (the reference reads them so); binary, sets and ordered maps,
    which no endpoint takes, are refused."""
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
        pass
    timestamp = "tag:yaml.org,2002:timestamp"
    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != timestamp]
        for first, resolvers in Loader.yaml_implicit_resolvers.items()}

    def refuse(loader, node):
        raise yaml.constructor.ConstructorError(
            None, None, f"{node.tag} values are not accepted", node.start_mark)
    for kind in ("timestamp", "binary", "set", "omap", "pairs"):
        Loader.add_constructor(f"tag:yaml.org,2002:{kind}", refuse)
    return Loader


@functools.cache
def _dumper():
    """A safe YAML dumper that writes schema.UNSET strings as null."""
    import yaml
    from .schema import Unset

    class Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
        pass
    Dumper.add_representer(
        Unset, lambda d, v: d.represent_scalar("tag:yaml.org,2002:null", "null"))
    return Dumper


def encode(data: dict, media_type: str) -> Iterator[bytes] | bytes:
    if media_type == JSON:
        return encode_json(data)
    import yaml
    return yaml.dump(materialize(data), Dumper=_dumper(), sort_keys=False,
                     allow_unicode=True).encode()
