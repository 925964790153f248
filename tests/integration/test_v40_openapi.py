"""Our document's v0.0.40 to v0.0.42 part beside Slurm 24.11's generated one:
every operation we serve there is one of the reference's, with the same
method, operationId, parameters, the same component names reachable from its
request and response, and the same keys at every level (doc40). (Properties the reference
declares wrongly may be corrected; README's compatibility notes name each.)"""
from __future__ import annotations

import re

import pytest

from conftest import reference24_doc
from doc40 import assert_declared_alike

PARSER_PATH = re.compile(r"^/slurm(db)?/v0\.0\.4[0-2]/")
# Answers whose declaration corrects the reference's (README, compatibility
# notes): jobs/state/ is documented as openapi_job_info_resp there, but 24.11
# answers with the job_state_resp object it declares for nothing.
CORRECTED_ANSWERS = ("/jobs/state/",)
# Shape paths of answers where ours declares what the reference sends, not
# what its document says (README, compatibility notes), by operation.
_STEP_TRES = frozenset(f"/jobs[]/steps[]/tres/{use}/{end}[]"
                       for use in ("requested", "consumed") for end in ("max", "min"))
CORRECTED_SHAPES = {
    ("get", "/slurmdb/v0.0.40/diag/"): frozenset({"/statistics/rollups[]"}),
    **{("get", f"/slurmdb/{v}/{p}"): _STEP_TRES
       for v in ("v0.0.40", "v0.0.41", "v0.0.42") for p in ("jobs/", "job/{job_id}")},
    # results may be null (a plain job's update): a nullable list, written in place
    ("post", "/slurm/v0.0.42/job/{job_id}"): frozenset({"/results"}),
}
CORRECTED_COMPONENTS = ("openapi_job_state_resp", "job_state_resp_job",
                        "job_state_resp_msg")


def ours_served(openapi_doc):
    return [(path, method) for path, item in openapi_doc["paths"].items()
            if PARSER_PATH.match(path) for method in item]


def test_paths_are_the_references(openapi_doc):
    ref = reference24_doc()
    served = ours_served(openapi_doc)
    assert served, "no v0.0.40-42 operation served"
    missing = [(p, m) for p, m in served if m not in ref["paths"].get(p, {})]
    assert not missing, missing


def test_every_reference_operation_is_served(openapi_doc):
    ref = reference24_doc()
    theirs = {(path, method) for path, item in ref["paths"].items() if PARSER_PATH.match(path)
              for method in item if method in ("get", "post", "put", "delete", "patch")}
    assert len(theirs) == 174  # v0.0.40 to v0.0.42, slurmctld and slurmdbd, of 24.11.5
    assert set(ours_served(openapi_doc)) == theirs


def test_operations_as_the_reference(openapi_doc):
    ref = reference24_doc()
    for path, method in ours_served(openapi_doc):
        assert_declared_alike(openapi_doc, ref, path, method,
                              answer=not path.endswith(CORRECTED_ANSWERS),
                              corrected=CORRECTED_SHAPES.get((method, path), frozenset()))


@pytest.mark.parametrize("version", ["v0.0.40", "v0.0.41", "v0.0.42"])
def test_component_properties_as_the_reference(openapi_doc, version):
    # Every component we name in these versions is the reference's, with its keys.
    ref = reference24_doc()["components"]["schemas"]
    ours = {n: s for n, s in openapi_doc["components"]["schemas"].items()
            if n.startswith(version + "_")}
    for name, schema in ours.items():
        if name.split("_", 1)[1] in CORRECTED_COMPONENTS:
            continue
        assert name in ref, name
        if "properties" in ref[name]:
            assert list(schema["properties"]) == list(ref[name]["properties"]), name
