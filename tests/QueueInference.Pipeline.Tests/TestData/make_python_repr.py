#!/usr/bin/python3
"""Writes python_repr.txt: one double per line as `<IEEE-754 bits in hex> <repr(x)>`, covering
the layouts Python's repr switches between (positional, exponent, `.0`, subnormals), so the
C# formatter is checked against Python itself rather than against our reading of CPython.
Deterministic (fixed seed): rerun to reproduce the committed file."""
import os
import random
import struct

rng = random.Random(20261123)
values = [0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1e-4, 1e-5, 1e15, 1e16, 1e17, 123456789012345678.0,
          1234567890123456.0, 9999999999999998.0, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
          7416.1984871113245, 12854.558924832432, 10000.000000018848, 50000.0, 9990.025025017298,
          7416.19873046875, 0.0001, 0.00011, 0.001, 100.0, 1e22, 1e-7, 3.0e-4, 2.5e-5]
for _ in range(1500):
    values.append(rng.random())
for _ in range(1500):
    values.append(rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30))
for _ in range(500):
    values.append(float(rng.randint(-10 ** 18, 10 ** 18)))
for _ in range(500):
    values.append(struct.unpack("<d", struct.pack("<Q", rng.getrandbits(63)))[0])
for _ in range(500):
    values.append(float(struct.unpack("<f", struct.pack("<f", rng.uniform(0, 100000)))[0]))

with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "python_repr.txt"), "w") as out:
    for v in values:
        if v != v or v in (float("inf"), float("-inf")):
            continue
        out.write(f"{struct.unpack('<Q', struct.pack('<d', v))[0]:016x} {v!r}\n")
