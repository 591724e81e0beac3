#!/usr/bin/python3
"""Builds models/model.onnx: the seed model's contract (input `input`, output `output`,
100 chained Identity nodes, opset 20, IR 10) with a symbolic batch dimension, so the
pipeline can batch inference across concurrent messages.

Run with Debian's python3-onnx: /usr/bin/python3 models/make_model.py [output-path]
The output is deterministic: rerunning it reproduces the committed file byte for byte.
"""
import sys

import onnx
from onnx import TensorProto, helper

NODES = 100


def build() -> onnx.ModelProto:
    names = ["input"] + [f"identity_{i}" for i in range(NODES - 1)] + ["output"]
    nodes = [
        helper.make_node("Identity", [names[i]], [names[i + 1]], name=f"Identity_{i}")
        for i in range(NODES)
    ]
    graph = helper.make_graph(
        nodes,
        "identity_chain",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", 1])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", 1])],
    )
    model = helper.make_model(
        graph,
        producer_name="queue-inference models/make_model.py",
        opset_imports=[helper.make_opsetid("", onnx.defs.onnx_opset_version())],
    )
    # Debian's onnx may predate the seed's IR 10 / opset 20, so the graph is checked at the
    # versions this onnx knows, then stamped with the seed's: Identity means the same in both.
    onnx.checker.check_model(model, full_check=True)
    model.ir_version = 10
    model.opset_import[0].version = 20
    return model


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "models/model.onnx"
    onnx.save(build(), path)
    print(f"wrote {path}")
