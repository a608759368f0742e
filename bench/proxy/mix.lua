-- Absolute-form requests through a proxy: a fixed, repeating mix of allowed requests to the
-- local origin and requests for blocked domains. Environment:
--   BENCH_ORIGIN   host:port of the origin
--   BENCH_BLOCKED  file with one blocked domain a line (the sample to request)
--   BENCH_ALLOWED_PERCENT  share of allowed requests (default 70)
local origin = os.getenv("BENCH_ORIGIN")
local allowedPercent = tonumber(os.getenv("BENCH_ALLOWED_PERCENT") or "70")

local blocked = {}
for line in io.lines(os.getenv("BENCH_BLOCKED")) do
  if #line > 0 then blocked[#blocked + 1] = line end
end

local requests = {}
for i = 0, 99 do
  if i % 100 < allowedPercent then
    requests[#requests + 1] = wrk.format("GET", "http://" .. origin .. "/page/" .. i, { Host = origin })
  else
    local domain = blocked[(i % #blocked) + 1]
    requests[#requests + 1] = wrk.format("GET", "http://" .. domain .. "/", { Host = domain })
  end
end

-- Interleave allowed and blocked requests evenly instead of 70 then 30.
local order = {}
for i = 1, #requests do order[i] = requests[((i * 37) % #requests) + 1] end

local n = 0
request = function()
  n = n + 1
  return order[(n % #order) + 1]
end

-- Globals, so that done() can read them from each thread.
ok, denied, other = 0, 0, 0
-- By body, not status: e2guardian answers a block with 200 and its block page.
response = function(status, headers, body)
  if status == 200 and body == "origin ok\n" then ok = ok + 1
  elseif status == 403 or status == 200 then denied = denied + 1
  else other = other + 1 end
end

local threads = {}
setup = function(thread) threads[#threads + 1] = thread end

done = function()
  local o, d, x = 0, 0, 0
  for _, t in ipairs(threads) do
    o = o + t:get("ok"); d = d + t:get("denied"); x = x + t:get("other")
  end
  io.write(string.format("STATUS ok=%d denied=%d other=%d\n", o, d, x))
end
