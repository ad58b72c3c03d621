-- wrk script for tools/loadrun: POST /api/v1/tasks with a bearer token (an
-- administrator, who may assign), each request a task of its own title for
-- the seeded village under the seeded leader.
--
--   wrk -t2 -c8 -d15s --latency -s tools/loadrun.d/task.lua http://127.0.0.1:8091 -- TOKEN VILLAGE LEADER TODAY DEADLINE
--
-- Arguments: the API token, the lead unit id, the leader's person id, the
-- assignment day and the deadline (YYYY-MM-DD).

local threads = 0

function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local token, village, leader, today, deadline, n

function init(args)
  token, village, leader, today, deadline = args[1], args[2], args[3], args[4], args[5]
  if token == nil or deadline == nil then
    error("task.lua: arguments are TOKEN VILLAGE LEADER TODAY DEADLINE")
  end
  n = 0
end

function request()
  n = n + 1
  -- Titles are unique in a township: the thread and a counter name each.
  local body = string.format('{"title":"压测交办事项%d-%d","requirement":"按期办结并报送","source":"meeting","category":"压测","lead_unit_id":%s,"leader_id":%s,"assigned_on":"%s","deadline":"%s","level":"normal"}',
    tid or 1, n, village, leader, today, deadline)
  return wrk.format("POST", "/api/v1/tasks",
    { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, body)
end
