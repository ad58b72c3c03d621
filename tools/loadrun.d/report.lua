-- wrk script for tools/loadrun: POST /api/v1/tasks/{id}/transitions, a
-- progress report (transition report, no version: "whatever it is now")
-- by the lead village's reporter, one task after another, each thread
-- starting elsewhere in the list.
--
--   wrk -t2 -c8 -d15s --latency -s tools/loadrun.d/report.lua http://127.0.0.1:8091 -- TOKEN 12,13,14
--
-- Arguments: the reporter's API token, the task ids (comma-separated).

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local token, ids, n

function init(args)
  token = args[1]
  ids = {}
  for id in string.gmatch(args[2] or "", "%d+") do
    ids[#ids + 1] = id
  end
  if token == nil or #ids == 0 then
    error("report.lua: arguments are TOKEN ID,ID,…")
  end
  n = (tid or 1) * 7919
end

function request()
  n = n + 1
  local id = ids[(n % #ids) + 1]
  local body = string.format('{"transition":"report","percent":%d,"comment":"压测进度报送第%d次"}', n % 100, n)
  return wrk.format("POST", "/api/v1/tasks/" .. id .. "/transitions",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
