#!/usr/bin/python3
"""The seed-style peer: what a user would run instead of Aero to load flights from Kafka into PostgreSQL.

Written the way the seed's consumer is: kafka-python's KafkaConsumer, each record parsed with json.loads, batches
inserted with psycopg2's execute_values and ON CONFLICT (event_id) DO NOTHING, and the Kafka offsets committed after
the database commit (at least once into Kafka, exactly once into the table by its key). Debian's python3-kafka and
python3-psycopg2 (scripts/install-deps); run it with /usr/bin/python3. Aero.Bench peer runs it; see README.md.
"""
import argparse
import json
import sys
import time

import psycopg2
from psycopg2.extras import execute_values
from kafka import KafkaConsumer

COLUMNS = ("event_id", "flight_id", "timestamp", "airline", "flight_number", "origin", "destination",
           "scheduled_departure", "actual_departure", "scheduled_arrival", "actual_arrival", "status",
           "distance", "delay", "raw", "kafka_partition", "kafka_offset")

DDL = """
CREATE TABLE IF NOT EXISTS {table} (
  event_id text PRIMARY KEY, flight_id text NOT NULL, "timestamp" timestamptz NOT NULL, airline text, flight_number text,
  origin text, destination text, scheduled_departure timestamptz, actual_departure timestamptz,
  scheduled_arrival timestamptz, actual_arrival timestamptz, status text, distance double precision,
  delay double precision, raw jsonb NOT NULL, kafka_partition integer NOT NULL, kafka_offset bigint NOT NULL)
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--group", default="seed-peer")
    parser.add_argument("--dsn", required=True, help="libpq connection string")
    parser.add_argument("--table", default="peer_flights")
    parser.add_argument("--records", type=int, required=True, help="stop once this many records are committed")
    parser.add_argument("--batch", type=int, default=1000, help="records per poll and per INSERT")
    parser.add_argument("--idle-seconds", type=float, default=60, help="give up after this long without a record")
    args = parser.parse_args()

    database = psycopg2.connect(args.dsn)
    with database.cursor() as cursor:
        cursor.execute(DDL.format(table=args.table))
    database.commit()

    consumer = KafkaConsumer(args.topic, bootstrap_servers=args.bootstrap, group_id=args.group,
                             enable_auto_commit=False, auto_offset_reset="earliest",
                             max_poll_records=args.batch)
    insert = "INSERT INTO {table} ({columns}) VALUES %s ON CONFLICT (event_id) DO NOTHING".format(
        table=args.table, columns=", ".join('"{}"'.format(c) for c in COLUMNS))
    consumed = 0
    started = None
    last_record = time.monotonic()
    cpu = time.process_time()
    while consumed < args.records:
        polled = consumer.poll(timeout_ms=500, max_records=args.batch)
        if not polled:
            if time.monotonic() - last_record > args.idle_seconds:
                print("seed_peer: no record for {}s after {} records".format(args.idle_seconds, consumed), file=sys.stderr)
                return 1
            continue
        if started is None:
            started = time.monotonic()
        last_record = time.monotonic()
        rows = []
        for partition, messages in polled.items():
            for message in messages:
                flight = json.loads(message.value)
                rows.append((flight["event_id"], flight["flight_id"], flight["timestamp"], flight.get("airline"),
                             flight.get("flight_number"), flight.get("origin"), flight.get("destination"),
                             flight.get("scheduled_departure"), flight.get("actual_departure"),
                             flight.get("scheduled_arrival"), flight.get("actual_arrival"), flight.get("status"),
                             flight.get("distance"), flight.get("delay"), message.value.decode("utf-8"),
                             partition.partition, message.offset))
        with database.cursor() as cursor:
            execute_values(cursor, insert, rows, page_size=len(rows))
        database.commit()
        # Only after the rows are committed: a crash in between replays them, and the key keeps them once.
        consumer.commit()
        consumed += len(rows)

    elapsed = time.monotonic() - started
    print(json.dumps({"records": consumed, "seconds": elapsed, "records_per_second": consumed / elapsed,
                      "cpu_seconds": time.process_time() - cpu}))
    consumer.close()
    database.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
