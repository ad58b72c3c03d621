-- wrk script for tools/loadrun: POST /api/v1/targets/{id}/figures with a
-- bearer token, one target after another, each thread starting elsewhere in
-- the list, each body a different value for a past month.
--
--   wrk -t2 -c8 -d15s --latency -s tools/loadrun.d/post.lua http://127.0.0.1:8091 -- TOKEN 2026-11 12,13,14
--
-- Arguments: the API token, the period (YYYY-MM), the target ids (comma-separated).

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local token, period, ids, n

function init(args)
  token, period = args[1], args[2]
  ids = {}
  for id in string.gmatch(args[3] or "", "%d+") do
    ids[#ids + 1] = id
  end
  if token == nil or period == nil or #ids == 0 then
    error("post.lua: arguments are TOKEN PERIOD ID,ID,…")
  end
  n = (tid or 1) * 7919
end

function request()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  -- Every post after the first of a target corrects it, with values that
  -- need not follow the seeded months: it says so, as the API asks.
  local body = string.format('{"period":"%s","value":%d.5,"last_year_value":%d,"reason":"loadrun","correction":true,"confirm":true}', period, 500 + n % 300, 480 + n % 300)
  return wrk.format("POST", "/api/v1/targets/" .. id .. "/figures",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
