-- wrk script of the load benchmark: sends the URLs of $URLS (one path per line) round-robin,
-- starting at a seeded offset, and prints the result as one JSON line.
-- With $RATE (requests/s over all connections) every connection waits an exponentially
-- distributed pause before each request, so the offered load is about $RATE as long as the
-- server keeps up (wrk has no true open loop; see BENCHMARKS.md).

local urls = {}
local next_url = 1
local rate = tonumber(os.getenv("RATE") or "0")
local connections = tonumber(os.getenv("CONNECTIONS") or "1")

function init(args)
  for line in io.lines(os.getenv("URLS")) do
    urls[#urls + 1] = line
  end
  math.randomseed(tonumber(os.getenv("SEED") or "1"))
  next_url = math.random(#urls)
end

function request()
  local path = urls[next_url]
  next_url = next_url % #urls + 1
  return wrk.format("GET", path)
end

function delay()
  if rate <= 0 then
    return 0
  end
  local mean_ms = 1000.0 * connections / rate
  return -math.log(1.0 - math.random()) * mean_ms
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_s": %.3f, "rps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, ' ..
    '"p99_ms": %.3f, "max_ms": %.3f, "mean_ms": %.3f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    errors.connect + errors.read + errors.write + errors.status + errors.timeout))
  -- errors.status counts answers that are not 2xx or 3xx (a shed request is a 503).
end
