#!/usr/bin/env python3
"""Fixed-rate HTTP load for benches/soak.sh: GET /api/search on one loopback address.

Open loop: request i is due at start + i / rate, spread over `connections` keep-alive
connections, so a slow answer does not lower the rate (the next request of that connection
goes out as soon as it can; lateness is reported). Prints one JSON line of figures.
Usage: soak_load.py HOST:PORT RATE SECONDS CONNECTIONS
"""

import http.client
import json
import sys
import threading
import time

QUERIES = [
    "Haushalt", "Schule", "Radweg", "Kita", "Stadtrat", "Verkehr", "Telearbeit",
    "Antrag+der+Fraktion", "%22mobile+Arbeit%22", "Schule+-Sanierung", "Bebauungsplan",
    "Haushalt&type=Antrag", "&sort=date_desc", "Klima&page=2",
]


def worker(address, rate, seconds, connections, index, start, results):
    host, port = address.rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    interval = connections / rate
    n = 0
    while True:
        due = start + (index / rate) + n * interval
        if due >= start + seconds:
            break
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        late = max(0.0, time.monotonic() - due)
        query = QUERIES[(index + n * connections) % len(QUERIES)]
        sent = time.monotonic()
        try:
            connection.request("GET", "/api/search?q=" + query)
            response = connection.getresponse()
            response.read()
            status = response.status
        except Exception as error:  # noqa: BLE001 - every failure counts as an error
            status = repr(error)
            connection.close()
            connection = http.client.HTTPConnection(host, int(port), timeout=10)
        results.append((status, time.monotonic() - sent, late))
        n += 1


def main():
    address, rate, seconds, connections = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    results = []
    start = time.monotonic() + 0.2
    threads = [
        threading.Thread(target=worker, args=(address, rate, seconds, connections, i, start, results))
        for i in range(connections)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - start
    latencies = sorted(latency for _, latency, _ in results)
    errors = [status for status, _, _ in results if status != 200]
    late = sorted(lateness for _, _, lateness in results)

    def pct(values, p):
        return round(values[min(len(values) - 1, int(len(values) * p))] * 1000, 2) if values else None

    print(json.dumps({
        "requests": len(results),
        "planned": int(rate * seconds),
        "achieved_rate": round(len(results) / elapsed, 1),
        "errors": len(errors),
        "error_examples": [str(error) for error in errors[:5]],
        "latency_ms": {"p50": pct(latencies, 0.5), "p90": pct(latencies, 0.9),
                       "p99": pct(latencies, 0.99), "max": pct(latencies, 1.0)},
        "late_ms": {"p50": pct(late, 0.5), "p99": pct(late, 0.99), "max": pct(late, 1.0)},
    }))


if __name__ == "__main__":
    main()
