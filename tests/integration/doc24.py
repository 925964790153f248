"""What our OpenAPI document's v0.0.40-42 part must share with the Slurm
24.11 reference's (conftest.reference24_doc()), path by path: methods,
operationIds, parameters, the component names a 200 answer reaches, and
the property names (in order) at every depth of that answer. Types'
formats and descriptions are not compared."""
from __future__ import annotations


def _component(doc: dict, ref: str) -> tuple[str, dict]:
    name = ref.rsplit("/", 1)[1]
    return name, doc["components"]["schemas"][name]


def _walk(doc: dict, schema: dict, path: str, keys: dict, names: set, seen: frozenset):
    while "$ref" in schema:
        name, schema = _component(doc, schema["$ref"])
        if name in seen:  # a cycle: its keys are listed where first met
            return
        names.add(name)
        seen = seen | {name}
    if "items" in schema:
        _walk(doc, schema["items"], path + "[]", keys, names, seen)
    props = schema.get("properties")
    if props:
        keys[path] = list(props)
        for key, sub in props.items():
            _walk(doc, sub, f"{path}/{key}", keys, names, seen)


def answer(doc: dict, path: str, method: str = "get") -> tuple[dict, set]:
    """The property names by depth ("/statistics/schedule_exit": [...]) of
    the 200 answer of `method` `path`, and the component names it reaches."""
    op = doc["paths"][path][method]
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    keys: dict = {}
    names: set = set()
    _walk(doc, schema, "", keys, names, frozenset())
    return keys, names


def assert_declared_alike(ours: dict, ref: dict, paths) -> None:
    for path in paths:
        assert path in ours["paths"], path
        assert set(ours["paths"][path]) == set(ref["paths"][path]), path
        for method, r_op in ref["paths"][path].items():
            o_op = ours["paths"][path][method]
            assert o_op["operationId"] == r_op["operationId"], path
            assert [(p["name"], p["in"]) for p in o_op.get("parameters", [])] == \
                [(p["name"], p["in"]) for p in r_op.get("parameters", [])], path
            o_keys, o_names = answer(ours, path, method)
            r_keys, r_names = answer(ref, path, method)
            assert o_names == r_names, (path, o_names ^ r_names)
            assert o_keys == r_keys, (path, {k: (o_keys.get(k), r_keys.get(k))
                                             for k in set(o_keys) | set(r_keys)
                                             if o_keys.get(k) != r_keys.get(k)})
