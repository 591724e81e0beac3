#!/usr/bin/python3
"""Builds the repository's ONNX models, deterministically, with Debian's python3-onnx.

    /usr/bin/python3 models/make_model.py [output-path]
        models/model.onnx: the seed model's contract (input `input`, output `output`, 100 chained
        Identity nodes, opset 20, IR 10) with a symbolic batch dimension, so the pipeline can batch
        inference across concurrent messages. Rerunning it reproduces the committed file byte for byte.

    /usr/bin/python3 models/make_model.py --out DIR [NAME ...]
        The generated models (all of them when no NAME is given), written to DIR (models/generated/
        is git-ignored); they are built at test and bench time, never committed:
          model-heavy      float32 ReLU MLP 64->2048->2048->2048->16 (8.5 M parameters, 34 MB)
          model-medium     float32 ReLU MLP 64->1024->1024->1024->16 (2.2 M parameters)
          model-light      float32 ReLU MLP 64->256->256->16
          text-classifier  int64 `input_ids` and `attention_mask` [batch, sequence] -> `logits` and
                           `probabilities` [batch, 3]: embedding, masked mean, linear, softmax
          typed-echo       one input per element type (float32, float64, int64, int32, bool) and a
                           [batch, sequence] int64 input, each with an output computed from it
        Every one has a symbolic first (batch) dimension. Weights come from numpy's legacy
        RandomState, whose streams numpy keeps stable, so the bytes are the same on every run.
"""
import argparse
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

NODES = 100

# The generated models use an opset and IR version Debian's onnx 1.12 knows and ONNX Runtime runs.
GENERATED_OPSET = 17
GENERATED_IR = 8


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


def finish(graph: onnx.GraphProto) -> onnx.ModelProto:
    model = helper.make_model(
        graph,
        producer_name="queue-inference models/make_model.py",
        opset_imports=[helper.make_opsetid("", GENERATED_OPSET)],
    )
    model.ir_version = GENERATED_IR
    onnx.checker.check_model(model, full_check=True)
    return model


def mlp(widths: list[int], seed: int) -> onnx.ModelProto:
    """A ReLU MLP: Gemm + Relu per hidden layer, Gemm at the end; He-scaled normal weights."""
    rng = np.random.RandomState(seed)
    nodes, initializers = [], []
    current = "input"
    layers = len(widths) - 1
    for layer in range(layers):
        fan_in, fan_out = widths[layer], widths[layer + 1]
        weight = (rng.standard_normal((fan_in, fan_out)) * math.sqrt(2.0 / fan_in)).astype(np.float32)
        bias = (rng.standard_normal(fan_out) * 0.01).astype(np.float32)
        initializers += [numpy_helper.from_array(weight, f"w{layer}"), numpy_helper.from_array(bias, f"b{layer}")]
        last = layer == layers - 1
        linear = "output" if last else f"linear{layer}"
        nodes.append(helper.make_node("Gemm", [current, f"w{layer}", f"b{layer}"], [linear], name=f"Gemm_{layer}"))
        if not last:
            nodes.append(helper.make_node("Relu", [linear], [f"relu{layer}"], name=f"Relu_{layer}"))
            current = f"relu{layer}"
    graph = helper.make_graph(
        nodes,
        "mlp_" + "x".join(str(w) for w in widths),
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, ["batch", widths[0]])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["batch", widths[-1]])],
        initializers,
    )
    return finish(graph)


TEXT_VOCABULARY = 1000
TEXT_WIDTH = 32
TEXT_CLASSES = 3


def text_classifier() -> onnx.ModelProto:
    """Token ids and an attention mask, as text models take them: the mean of the embeddings of
    the real (mask 1) tokens, then a linear layer and softmax. Padding (mask 0) changes nothing."""
    rng = np.random.RandomState(14)
    embedding = rng.standard_normal((TEXT_VOCABULARY, TEXT_WIDTH)).astype(np.float32)
    weight = (rng.standard_normal((TEXT_WIDTH, TEXT_CLASSES)) * math.sqrt(1.0 / TEXT_WIDTH)).astype(np.float32)
    bias = (rng.standard_normal(TEXT_CLASSES) * 0.1).astype(np.float32)
    initializers = [
        numpy_helper.from_array(embedding, "embedding"),
        numpy_helper.from_array(weight, "weight"),
        numpy_helper.from_array(bias, "bias"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axis_sequence"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "axis_feature"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
    ]
    nodes = [
        helper.make_node("Gather", ["embedding", "input_ids"], ["embedded"], axis=0),
        helper.make_node("Cast", ["attention_mask"], ["mask"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask", "axis_feature"], ["mask3"]),
        helper.make_node("Mul", ["embedded", "mask3"], ["masked"]),
        helper.make_node("ReduceSum", ["masked", "axis_sequence"], ["summed"], keepdims=0),
        helper.make_node("ReduceSum", ["mask", "axis_sequence"], ["count"], keepdims=1),
        helper.make_node("Max", ["count", "one"], ["divisor"]),
        helper.make_node("Div", ["summed", "divisor"], ["pooled"]),
        helper.make_node("Gemm", ["pooled", "weight", "bias"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["probabilities"], axis=-1),
    ]
    graph = helper.make_graph(
        nodes,
        "text_classifier",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "sequence"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "sequence"]),
        ],
        [
            helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", TEXT_CLASSES]),
            helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", TEXT_CLASSES]),
        ],
        initializers,
    )
    return finish(graph)


def typed_echo() -> onnx.ModelProto:
    """For tests: each element type in, a simple function of it out, so values can be checked exactly."""
    initializers = [
        numpy_helper.from_array(np.array(2.0, dtype=np.float32), "two_f32"),
        numpy_helper.from_array(np.array(0.5, dtype=np.float64), "half_f64"),
        numpy_helper.from_array(np.array(3, dtype=np.int64), "three_i64"),
        numpy_helper.from_array(np.array(7, dtype=np.int32), "seven_i32"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "one_i64"),
    ]
    nodes = [
        helper.make_node("Mul", ["f32", "two_f32"], ["f32_out"]),
        helper.make_node("Add", ["f64", "half_f64"], ["f64_out"]),
        helper.make_node("Mul", ["i64", "three_i64"], ["i64_out"]),
        helper.make_node("Sub", ["i32", "seven_i32"], ["i32_out"]),
        helper.make_node("Not", ["flag"], ["flag_out"]),
        helper.make_node("Add", ["tokens", "one_i64"], ["tokens_out"]),
    ]
    inputs = [
        helper.make_tensor_value_info("f32", TensorProto.FLOAT, ["batch", 2]),
        helper.make_tensor_value_info("f64", TensorProto.DOUBLE, ["batch", 2]),
        helper.make_tensor_value_info("i64", TensorProto.INT64, ["batch", 2]),
        helper.make_tensor_value_info("i32", TensorProto.INT32, ["batch", 2]),
        helper.make_tensor_value_info("flag", TensorProto.BOOL, ["batch", 2]),
        helper.make_tensor_value_info("tokens", TensorProto.INT64, ["batch", "sequence"]),
    ]
    outputs = [
        helper.make_tensor_value_info("f32_out", TensorProto.FLOAT, ["batch", 2]),
        helper.make_tensor_value_info("f64_out", TensorProto.DOUBLE, ["batch", 2]),
        helper.make_tensor_value_info("i64_out", TensorProto.INT64, ["batch", 2]),
        helper.make_tensor_value_info("i32_out", TensorProto.INT32, ["batch", 2]),
        helper.make_tensor_value_info("flag_out", TensorProto.BOOL, ["batch", 2]),
        helper.make_tensor_value_info("tokens_out", TensorProto.INT64, ["batch", "sequence"]),
    ]
    return finish(helper.make_graph(nodes, "typed_echo", inputs, outputs, initializers))


GENERATED = {
    "model-heavy": lambda: mlp([64, 2048, 2048, 2048, 16], seed=1),
    "model-medium": lambda: mlp([64, 1024, 1024, 1024, 16], seed=2),
    "model-light": lambda: mlp([64, 256, 256, 16], seed=3),
    "text-classifier": text_classifier,
    "typed-echo": typed_echo,
}


def main(argv: list[str]) -> int:
    if not argv or not argv[0].startswith("--"):
        path = argv[0] if argv else "models/model.onnx"
        onnx.save(build(), path)
        print(f"wrote {path}")
        return 0

    parser = argparse.ArgumentParser(description="Writes the generated models (not committed) into a directory.")
    parser.add_argument("--out", required=True, help="directory to write <name>.onnx into, e.g. models/generated")
    parser.add_argument("names", nargs="*", metavar="NAME", help=f"models to build, of {', '.join(sorted(GENERATED))} (default: all)")
    arguments = parser.parse_args(argv)
    unknown = [name for name in arguments.names if name not in GENERATED]
    if unknown:
        parser.error(f"unknown model(s) {', '.join(unknown)}; known: {', '.join(sorted(GENERATED))}")
    os.makedirs(arguments.out, exist_ok=True)
    for name in arguments.names or sorted(GENERATED):
        path = os.path.join(arguments.out, f"{name}.onnx")
        # Written beside, then renamed: a reader never sees half a file.
        temporary = f"{path}.{os.getpid()}.tmp"
        onnx.save(GENERATED[name](), temporary)
        os.replace(temporary, path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
