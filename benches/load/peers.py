#!/usr/bin/python3
"""The peers of the load benchmark: PostgreSQL full-text search and Xapian, on the papers that
`floor export` wrote and the queries of queries.py, answering the same result contract as
`/api/search`: total hits, paper-type and council-group facet counts and a year histogram over
all matches, the top 10 by relevance with title, date, type and a highlighted snippet.

Usage (Debian's python3 with python3-xapian and python3-psycopg2):
  peers.py pg-load    DSN PAPERS.jsonl
  peers.py pg-query   DSN QUERIES.json SECONDS OUT.json
  peers.py xapian-load  DB_DIR PAPERS.jsonl
  peers.py xapian-query DB_DIR PAPERS.jsonl QUERIES.json SECONDS OUT.json

Queries run one after another on one connection (PostgreSQL) or in this process (Xapian),
until SECONDS have passed or every query ran once. OUT.json has the latencies, the CPU time and
the totals per query (the correctness gate against ratsuche's totals).
"""

import json
import os
import sys
import time

SNIPPET_CHARS = 200


def quantiles(latencies):
    ordered = sorted(latencies)

    def at(q):
        return ordered[round((len(ordered) - 1) * q)] * 1000.0

    return {
        "queries": len(ordered),
        "p50_ms": at(0.5),
        "p90_ms": at(0.9),
        "p99_ms": at(0.99),
        "max_ms": at(1.0),
        "mean_ms": sum(ordered) / len(ordered) * 1000.0,
    }


def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# PostgreSQL ---------------------------------------------------------------------------------

PG_SCHEMA = """
DROP TABLE IF EXISTS papers;
CREATE TABLE papers (
    id integer PRIMARY KEY,
    reference text NOT NULL,
    title text NOT NULL,
    type text,
    fractions text[] NOT NULL,
    date date,
    year integer,
    body text NOT NULL,
    tsv tsvector
);
"""

# A tsvector must stay below 1 MB; the longest generated papers (about 400,000 words) need the
# cut. Positions above 16,383 are clamped by PostgreSQL anyway.
PG_TSV = """
UPDATE papers SET tsv =
    setweight(to_tsvector('german', title), 'A') ||
    setweight(to_tsvector('german', left(body, 600000)), 'B');
CREATE INDEX papers_tsv ON papers USING gin (tsv);
VACUUM ANALYZE papers;
"""


def pg_load(dsn, jsonl_path):
    import io

    import psycopg2

    connection = psycopg2.connect(dsn)
    connection.autocommit = True
    cursor = connection.cursor()
    cursor.execute(PG_SCHEMA)
    started = time.time()
    buffer = io.StringIO()

    def flush():
        buffer.seek(0)
        cursor.copy_expert("COPY papers (id, reference, title, type, fractions, date, year, body) FROM STDIN WITH (FORMAT csv)", buffer)
        buffer.seek(0)
        buffer.truncate()

    import csv

    writer = csv.writer(buffer)
    with open(jsonl_path, encoding="utf-8") as jsonl:
        for line_idx, line in enumerate(jsonl):
            paper = json.loads(line)
            fractions = "{" + ",".join('"' + f.replace('"', "") + '"' for f in paper["fractions"]) + "}"
            date = paper["date"]
            writer.writerow([
                paper["id"], paper["reference"], paper["title"], paper["type"] or "",
                fractions, date or "", date[:4] if date else "", paper["text"].replace("\x00", ""),
            ])
            if line_idx % 2000 == 1999:
                flush()
    flush()
    copied = time.time()
    cursor.execute("UPDATE papers SET type = NULL WHERE type = ''")
    for statement in PG_TSV.strip().split(";\n"):
        if statement.strip():
            cursor.execute(statement)
    finished = time.time()
    cursor.execute("SELECT pg_total_relation_size('papers'), pg_relation_size('papers_tsv')")
    total_bytes, gin_bytes = cursor.fetchone()
    print(json.dumps({
        "copy_s": copied - started,
        "tsvector_and_gin_s": finished - copied,
        "total_s": finished - started,
        "table_bytes": total_bytes,
        "gin_bytes": gin_bytes,
    }))


PG_QUERY = """
WITH q AS (SELECT {tsquery}('german', %(q)s) AS query),
m AS (
    SELECT p.id, p.type, p.fractions, p.year, p.tsv, p.title, p.date
    FROM papers p, q WHERE p.tsv @@ q.query {filters}
),
top AS (
    SELECT m.id, m.title, m.date, m.type, ts_rank_cd(m.tsv, q.query) AS rank
    FROM m, q ORDER BY rank DESC LIMIT 10
)
SELECT
    (SELECT count(*) FROM m),
    (SELECT json_agg(t) FROM (SELECT type, count(*) FROM m GROUP BY type ORDER BY 2 DESC LIMIT 20) t),
    (SELECT json_agg(t) FROM (SELECT f, count(*) FROM m, unnest(m.fractions) f GROUP BY f ORDER BY 2 DESC LIMIT 20) t),
    (SELECT json_agg(t) FROM (SELECT year, count(*) FROM m GROUP BY year) t),
    (SELECT json_agg(t) FROM (
        SELECT top.id, top.title, top.date, top.type,
               ts_headline('german', left(p.body, 600000), q.query,
                           'MaxFragments=1, MaxWords=30, MinWords=15, StartSel=<mark>, StopSel=</mark>') AS snippet
        FROM top JOIN papers p ON p.id = top.id, q ORDER BY top.rank DESC) t)
"""


def pg_sql(query):
    filters, params = [], {"q": query["q"].strip('"')}
    if query["type"]:
        filters.append("AND p.type = %(type)s")
        params["type"] = query["type"]
    if query["fraction"]:
        filters.append("AND %(fraction)s = ANY(p.fractions)")
        params["fraction"] = query["fraction"]
    if query["from"]:
        filters.append("AND p.date >= %(from)s")
        params["from"] = query["from"]
    tsquery = "phraseto_tsquery" if query["kind"] == "phrase" else "plainto_tsquery"
    return PG_QUERY.format(tsquery=tsquery, filters=" ".join(filters)), params


def pg_query(dsn, queries_path, seconds, out_path):
    import psycopg2

    queries = json.load(open(queries_path, encoding="utf-8"))
    connection = psycopg2.connect(dsn)
    connection.autocommit = True
    cursor = connection.cursor()
    cursor.execute("SELECT pg_backend_pid()")
    backend = cursor.fetchone()[0]
    cursor.execute(*pg_sql(queries[0]))  # warm the plan cache and the page cache a little
    cursor.fetchall()
    totals, latencies = [], []
    cpu_before = proc_cpu_seconds(backend) + time.process_time()
    started = time.time()
    for query in queries:
        if time.time() - started > seconds:
            break
        sql, params = pg_sql(query)
        query_started = time.perf_counter()
        cursor.execute(sql, params)
        row = cursor.fetchone()
        latencies.append(time.perf_counter() - query_started)
        totals.append(row[0])
    cpu = proc_cpu_seconds(backend) + time.process_time() - cpu_before
    report = quantiles(latencies)
    report.update(cpu_s_per_1000=cpu / len(latencies) * 1000.0, totals=totals,
                  query_ms=[latency * 1000.0 for latency in latencies],
                  wall_s=time.time() - started)
    json.dump(report, open(out_path, "w"), indent=1)


# Xapian -------------------------------------------------------------------------------------

SLOT_TYPE, SLOT_FRACTION, SLOT_YEAR, SLOT_DATE = 0, 1, 2, 3


def xapian_load(db_dir, jsonl_path):
    import xapian

    database = xapian.WritableDatabase(db_dir, xapian.DB_CREATE_OR_OVERWRITE)
    generator = xapian.TermGenerator()
    generator.set_stemmer(xapian.Stem("german"))
    # Stem every term and keep positions on the stems, so phrases match stemmed forms as
    # ratsuche's do (STEM_SOME would stem nothing that starts with a capital: every noun).
    generator.set_stemming_strategy(xapian.TermGenerator.STEM_ALL)
    started = time.time()
    offset = 0
    with open(jsonl_path, "rb") as jsonl:
        for line in jsonl:
            paper = json.loads(line)
            document = xapian.Document()
            generator.set_document(document)
            generator.index_text(paper["title"], 2)
            generator.increase_termpos()
            generator.index_text(paper["text"])
            if paper["type"]:
                document.add_boolean_term("XT" + paper["type"])
                document.add_value(SLOT_TYPE, paper["type"])
            for fraction in paper["fractions"]:
                document.add_boolean_term("XF" + fraction)
            # ValueCountMatchSpy counts one value per document: the first council group.
            if paper["fractions"]:
                document.add_value(SLOT_FRACTION, paper["fractions"][0])
            if paper["date"]:
                document.add_value(SLOT_YEAR, paper["date"][:4])
                document.add_value(SLOT_DATE, paper["date"])
            # The text stays in the JSON lines file; the document keeps where to find it.
            document.set_data(json.dumps({"offset": offset, "length": len(line)}))
            database.add_document(document)
            offset += len(line)
    database.commit()
    database.close()
    print(json.dumps({"total_s": time.time() - started}))


def xapian_query(db_dir, jsonl_path, queries_path, seconds, out_path):
    import xapian

    queries = json.load(open(queries_path, encoding="utf-8"))
    database = xapian.Database(db_dir)
    stemmer = xapian.Stem("german")
    parser = xapian.QueryParser()
    parser.set_stemmer(stemmer)
    parser.set_stemming_strategy(xapian.QueryParser.STEM_ALL)
    parser.set_database(database)
    parser.set_default_op(xapian.Query.OP_AND)
    n_docs = database.get_doccount()
    jsonl = open(jsonl_path, "rb")

    def run(query):
        parsed = parser.parse_query(query["q"], xapian.QueryParser.FLAG_PHRASE)
        filters = []
        if query["type"]:
            filters.append(xapian.Query("XT" + query["type"]))
        if query["fraction"]:
            filters.append(xapian.Query("XF" + query["fraction"]))
        if query["from"]:
            filters.append(xapian.Query(xapian.Query.OP_VALUE_GE, SLOT_DATE, query["from"]))
        if filters:
            parsed = xapian.Query(xapian.Query.OP_FILTER, parsed, xapian.Query(xapian.Query.OP_AND, filters))
        enquire = xapian.Enquire(database)
        enquire.set_query(parsed)
        spies = [xapian.ValueCountMatchSpy(slot) for slot in (SLOT_TYPE, SLOT_FRACTION, SLOT_YEAR)]
        for spy in spies:
            enquire.add_matchspy(spy)
        # check_at_least = all documents: exact totals and facet counts over every match.
        mset = enquire.get_mset(0, 10, n_docs)
        facets = [[(item.term, item.termfreq) for item in spy.values()] for spy in spies]
        hits = []
        for match in mset:
            where = json.loads(match.document.get_data())
            jsonl.seek(where["offset"])
            paper = json.loads(jsonl.read(where["length"]))
            snippet = mset.snippet(paper["text"], SNIPPET_CHARS, stemmer,
                                   xapian.MSet.SNIPPET_EXHAUSTIVE, "<mark>", "</mark>", "…")
            hits.append((paper["title"], paper["date"], paper["type"], snippet))
        return mset.get_matches_estimated(), facets, hits

    run(queries[0])
    totals, latencies = [], []
    cpu_before = time.process_time()
    started = time.time()
    for query in queries:
        if time.time() - started > seconds:
            break
        query_started = time.perf_counter()
        total, _facets, _hits = run(query)
        latencies.append(time.perf_counter() - query_started)
        totals.append(total)
    cpu = time.process_time() - cpu_before
    report = quantiles(latencies)
    report.update(cpu_s_per_1000=cpu / len(latencies) * 1000.0, totals=totals,
                  query_ms=[latency * 1000.0 for latency in latencies],
                  wall_s=time.time() - started)
    json.dump(report, open(out_path, "w"), indent=1)


def main():
    command, args = sys.argv[1], sys.argv[2:]
    if command == "pg-load":
        pg_load(*args)
    elif command == "pg-query":
        pg_query(args[0], args[1], float(args[2]), args[3])
    elif command == "xapian-load":
        xapian_load(*args)
    elif command == "xapian-query":
        xapian_query(args[0], args[1], args[2], float(args[3]), args[4])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
