-- wrk script of the federation benchmark (driven by bench/federation/run.js).
--
-- Environment:
--   BENCH_BODY_FILE     the request body (JSON) to POST
--   BENCH_PROFILE       "same": identical requests; "unique-auth": every request carries its
--                       own Authorization header (the router propagates it to the subgraphs,
--                       so no two subgraph requests are the same)
--   BENCH_EXPECT_BYTES  the length of the verified answer; an answer of another length is a
--                       failure ("wrong shape"), as is a non-200 status or a body with "errors"
--
-- done() prints one line: BENCH_RESULT {json}. Latencies are in microseconds.
local body_file = os.getenv("BENCH_BODY_FILE")
local profile = os.getenv("BENCH_PROFILE") or "same"
local expect_bytes = tonumber(os.getenv("BENCH_EXPECT_BYTES") or "0")

local f = assert(io.open(body_file, "rb"), "cannot read BENCH_BODY_FILE")
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json"

local threads = {}

function setup(thread)
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  ok, bad_status, with_errors, wrong_shape, counter = 0, 0, 0, 0, 0
  if profile == "unique-auth" then
    local headers = {}
    for k, v in pairs(wrk.headers) do headers[k] = v end
    request = function()
      counter = counter + 1
      headers["Authorization"] = "Bearer bench-" .. thread_id .. "-" .. counter
      return wrk.format(nil, nil, headers, nil)
    end
  end
end

function response(status, headers, body)
  if status ~= 200 then
    bad_status = bad_status + 1
  elseif string.find(body, '"errors"', 1, true) then
    with_errors = with_errors + 1
  elseif expect_bytes > 0 and #body ~= expect_bytes then
    wrong_shape = wrong_shape + 1
  else
    ok = ok + 1
  end
end

function done(summary, latency, requests)
  local sums = { ok = 0, bad_status = 0, with_errors = 0, wrong_shape = 0 }
  for _, t in ipairs(threads) do
    for k, _ in pairs(sums) do sums[k] = sums[k] + (t:get(k) or 0) end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"rps":%.2f,"mean_us":%.1f,"p50_us":%d,' ..
    '"p95_us":%d,"p99_us":%d,"max_us":%d,"ok":%d,"bad_status":%d,"with_errors":%d,' ..
    '"wrong_shape":%d,"socket_errors":%d}\n',
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency.mean, latency:percentile(50), latency:percentile(95), latency:percentile(99),
    latency.max, sums.ok, sums.bad_status, sums.with_errors, sums.wrong_shape,
    e.connect + e.read + e.write + e.timeout))
end
