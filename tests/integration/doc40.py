"""Comparing our served document's v0.0.40-42 operations with the 24.11
reference's: what a client generated from either would see alike.

For an operation: the same operationId, parameter names (and places),
component names reachable from its request body and its 200 answer, and
the same property names at every level of both. Descriptions, formats and
`required` lists are the reference's own prose and are not compared.
"""
from __future__ import annotations

PREFIX = "#/components/schemas/"


def _resolve(doc: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = doc["components"]["schemas"][schema["$ref"][len(PREFIX):]]
    return schema


def reachable(doc: dict, schema: dict, into: set | None = None) -> set[str]:
    """The component names `schema` refers to, directly or through others."""
    into = set() if into is None else into
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if ref is not None:
            name = ref[len(PREFIX):]
            if name not in into:
                into.add(name)
                reachable(doc, doc["components"]["schemas"][name], into)
        for value in schema.values():
            reachable(doc, value, into)
    elif isinstance(schema, list):
        for value in schema:
            reachable(doc, value, into)
    return into


def shape(doc: dict, schema: dict, depth: int = 0):
    """The property names of `schema` at every level: {key: shape} for an
    object, [shape] for an array, the JSON type for a scalar."""
    schema = _resolve(doc, schema)
    if depth > 20:  # a recursive schema: far enough
        return "..."
    if schema.get("type") == "array":
        return [shape(doc, schema["items"], depth + 1)]
    if "properties" in schema:
        return {k: shape(doc, v, depth + 1) for k, v in schema["properties"].items()}
    return schema.get("type")


def alike(ours, ref, at: str = "", corrected=frozenset()) -> bool:
    """Shapes alike, where a scalar the reference leaves untyped (None: its
    power_flags items) may be typed in ours, and anything goes at the shape
    paths `corrected` ("/jobs[]/steps[]"), where ours corrects the reference."""
    if at in corrected:
        return True
    if isinstance(ref, dict):
        return isinstance(ours, dict) and list(ours) == list(ref) and all(
            alike(ours[k], ref[k], f"{at}/{k}", corrected) for k in ref)
    if isinstance(ref, list):
        return isinstance(ours, list) and alike(ours[0], ref[0], at + "[]", corrected)
    return ours == ref or (ref is None and not isinstance(ours, (dict, list)))


def _answer(doc: dict, path: str, method: str) -> dict:
    return doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]


def assert_declared_alike(ours: dict, ref: dict, path: str, method: str = "get",
                          answer: bool = True, corrected=frozenset()) -> None:
    """`path`'s `method` is declared alike in both documents (see the module);
    `answer`: its answer too (not where ours corrects the reference's);
    `corrected`: shape paths of the answer where ours corrects it."""
    assert path in ours["paths"], path
    r_op, o_op = ref["paths"][path][method], ours["paths"][path][method]
    assert o_op["operationId"] == r_op["operationId"], path
    # (Their order means nothing to a client.)
    assert sorted((p["name"], p["in"]) for p in o_op.get("parameters", [])) == \
        sorted((p["name"], p["in"]) for p in r_op.get("parameters", [])), path
    assert ("requestBody" in o_op) == ("requestBody" in r_op), path
    pairs = [(_answer(ours, path, method), _answer(ref, path, method))] if answer else []
    if "requestBody" in r_op:
        pairs.append((o_op["requestBody"]["content"]["application/json"]["schema"],
                      r_op["requestBody"]["content"]["application/json"]["schema"]))
    for o_schema, r_schema in pairs:
        if not corrected:
            assert reachable(ours, o_schema) == reachable(ref, r_schema), path
        assert alike(shape(ours, o_schema), shape(ref, r_schema), "", corrected), path


def paths_of(doc: dict, version: str, heads: tuple[str, ...]) -> set[str]:
    """The paths of the /slurm `version` whose first segment is one of `heads`."""
    prefix = f"/slurm/{version}/"
    return {p for p in doc["paths"]
            if p.startswith(prefix) and p[len(prefix):].split("/")[0] in heads}
