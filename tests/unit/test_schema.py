"""schema.py: one declaration makes the reader and the schema, names its
components by version, and derives another version's shape of an object."""
import types

import pytest

from slurmrestd_py.schema import Array, Field, Inline, Int, Nullable, Obj, Str

THING = Obj("thing", [
    Field("name", Str),
    Field("size", Int, "c_size"),
    Field("inner", Inline([Field("a", Int), Field("b", Int)]), lambda c: {"a": 1, "b": 2}),
], required=["name", "size"])
C = types.SimpleNamespace(name="x", c_size=3)


def test_component_names_take_the_version():
    assert THING.schema("v0.0.37") == {"$ref": "#/components/schemas/v0.0.37_thing"}
    wrapper = Obj("things", [Field("things", Array(THING))])
    assert sorted(wrapper.components("v0.0.36")) == ["v0.0.36_thing", "v0.0.36_things"]
    # A named object that may be null is written out (siblings of $ref are ignored).
    assert Nullable(THING).schema("v0")["nullable"] is True
    assert "properties" in Nullable(THING).schema("v0")


def test_derive_drops_renames_replaces_and_adds():
    old = THING.derive(drop=["inner"], rename={"size": "bytes"},
                       add=[("name", Field("kind", Str, lambda c: "k")), (None, Field("id", Int))])
    assert old.name == "thing" and [f.key for f in old.fields] == ["id", "name", "kind", "bytes"]
    c = types.SimpleNamespace(id=7, **vars(C))
    assert old.read(c) == {"id": 7, "name": "x", "kind": "k", "bytes": 3}
    assert old.required == ["name", "bytes"]
    assert list(old.definition("v")["properties"]) == ["id", "name", "kind", "bytes"]
    # The base is unchanged.
    assert THING.read(C) == {"name": "x", "size": 3, "inner": {"a": 1, "b": 2}}


def test_derive_replaces_in_place_and_keeps_inline_objects_inline():
    retyped = THING.derive(replace={"size": Field("size", Str, lambda c: str(c.c_size))})
    assert retyped.read(C)["size"] == "3" and list(retyped.read(C)) == ["name", "size", "inner"]
    inner = THING.fields[2].type.derive(drop=["b"])
    assert isinstance(inner, Inline) and inner.schema("v")["properties"].keys() == {"a"}


def test_derive_names_an_inline_object_under_a_name():
    inline = THING.fields[2].type
    named = inline.derive("inner_thing", drop=["b"])
    assert not isinstance(named, Inline)
    assert named.schema("v") == {"$ref": "#/components/schemas/v_inner_thing"}
    assert named.read(types.SimpleNamespace(a=1)) == {"a": 1}


def test_derive_an_unknown_anchor_is_an_error():
    with pytest.raises(StopIteration):
        THING.derive(add=[("nope", Field("x", Int))])


def test_derive_a_compiled_table():
    from slurmrestd_py.v0_0_38 import jobs
    job = jobs.JOB.derive(drop=["container", "prefer"], rename={"nodes": "node_list"})
    keys = [f.key for f in job.fields]
    assert "container" not in keys and "prefer" not in keys and "node_list" in keys
    assert "'node_list': " in job.source and "'nodes': " not in job.source
    compile(job.source, "derived", "exec")  # still one valid function
    # A splice is replaced whole, by any of its keys.
    nogroup = jobs.JOB.derive(replace={"group_name": jobs.N("group_id", "group", "j.group_id")})
    assert "group_name" not in [f.key for f in nogroup.fields]


def test_derive_a_tree_of_key_paths():
    from slurmrestd_py.dbv0_0_38 import qos
    old = qos.QOS.derive(drop=["limits/factor"], rename={"limits/max/jobs/per/account":
                                                          "limits/max/jobs/per/acct"})
    d = old.definition("dbv0.0.36")["properties"]["limits"]["properties"]
    assert "factor" not in d
    per = d["max"]["properties"]["jobs"]["properties"]["per"]["properties"]
    assert "acct" in per and "account" not in per
    # Request bodies parse by the derived paths too.
    paths = [p for p, _, _ in old.inputs]
    assert "limits/max/jobs/per/acct" in paths and "limits/factor" not in paths


def test_key_paths_nest_and_a_rename_can_move_a_key_into_an_object():
    flat = Obj("flat", [Field("a", Int), Field("b/c", Int, "c"), Field("d", Int),
                        Field("b/e", Int, "e")], objects={"b": "the b"})
    c = types.SimpleNamespace(a=1, c=2, d=3, e=4)
    # Nested keys keep the order their paths are first named.
    assert flat.read(c) == {"a": 1, "b": {"c": 2, "e": 4}, "d": 3}
    assert flat.definition("v")["properties"]["b"]["description"] == "the b"
    moved = flat.derive(rename={"a": "b/a", "d": "f/d"})
    assert moved.read(c) == {"b": {"a": 1, "c": 2, "e": 4}, "f": {"d": 3}}
    assert list(moved.definition("v")["properties"]) == ["b", "f"]
