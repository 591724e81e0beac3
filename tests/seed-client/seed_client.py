#!/usr/bin/python3
"""A client written the way the seed worksample's Python client works (pika, blocking
connection): declares `request_queue` durable with no arguments, declares a non-durable
response queue, publishes N requests with delivery_mode=2, reply_to and
correlation_id=message_id, consumes replies with manual acks and matches them by the body's
message_id. It checks every reply against the seed contract and prints one JSON summary line.

Used by the integration tests to prove that an unmodified seed-style client works against the
worker. Usage: seed_client.py AMQP_URL COUNT [REQUEST_QUEUE] [RESPONSE_QUEUE] [TIMEOUT_S]
"""
import json
import math
import random
import struct
import sys
import time
import uuid

import pika


def expected_processed(data):
    factor = math.sqrt(sum(x * x for x in data)) if data else 0
    acc = 0.0
    for _ in range(100000):
        acc += factor * 0.1
    return acc


def main():
    url, count = sys.argv[1], int(sys.argv[2])
    request_queue = sys.argv[3] if len(sys.argv) > 3 else "request_queue"
    response_queue = sys.argv[4] if len(sys.argv) > 4 else "response_queue"
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 60.0

    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.queue_declare(queue=request_queue, durable=True)
    channel.queue_declare(queue=response_queue, durable=False)

    sent = {}
    for _ in range(count):
        message_id = str(uuid.uuid4())
        data = [random.random() for _ in range(5)]
        body = {"message_id": message_id, "data": data, "send_timestamp": time.time()}
        channel.basic_publish(
            exchange="",
            routing_key=request_queue,
            body=json.dumps(body),
            properties=pika.BasicProperties(delivery_mode=2, reply_to=response_queue, correlation_id=message_id),
        )
        sent[message_id] = data

    replies, errors, duplicates = {}, [], 0
    deadline = time.time() + timeout
    for method, properties, body in channel.consume(response_queue, inactivity_timeout=1.0):
        if method is not None:
            reply = json.loads(body)
            mid = reply["message_id"]
            if mid in replies:
                duplicates += 1
            elif mid not in sent:
                errors.append(f"unknown reply {mid}")
            else:
                replies[mid] = reply
                if properties.correlation_id != mid:
                    errors.append(f"{mid}: correlation_id {properties.correlation_id}")
                result = reply["result"]
                if result["original_input"] != sent[mid]:
                    errors.append(f"{mid}: original_input differs")
                acc = expected_processed(sent[mid])
                if result["processed_data"] != str(acc):
                    errors.append(f"{mid}: processed_data {result['processed_data']} != {acc}")
                if result["model_output"] != [[struct.unpack("f", struct.pack("f", acc))[0]]]:
                    errors.append(f"{mid}: model_output {result['model_output']}")
                if not reply["pick_up_timestamp"] <= reply["response_timestamp"]:
                    errors.append(f"{mid}: timestamps out of order")
            channel.basic_ack(method.delivery_tag)
        if len(replies) == count or time.time() > deadline:
            break
    channel.cancel()
    connection.close()
    print(json.dumps({"sent": count, "replied": len(replies), "missing": count - len(replies),
                      "duplicates": duplicates, "errors": errors[:10], "error_count": len(errors)}))
    sys.exit(0 if len(replies) == count and not errors and duplicates == 0 else 1)


if __name__ == "__main__":
    main()
