-- wrk script for the load tests: POSTs the chat bodies of a file (one JSON document per line) in turn and
-- checks every reply: status 200 and a non-empty caveat. done() prints "bad_replies N" (summed over threads).
-- Usage: wrk ... -s tests/cli/load.lua URL -- BODIES_FILE
local threads = {}
local requests = {}
local next_index = 0
bad = 0

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot open " .. tostring(args[1]))
  for line in file:lines() do
    if #line > 0 then
      requests[#requests + 1] = wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, line)
    end
  end
  file:close()
  assert(#requests > 0, "no bodies in " .. args[1])
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"caveat":"[^"]') then
    bad = bad + 1
  end
end

function done(summary, latency, _requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + thread:get("bad")
  end
  io.write(string.format("bad_replies %d\n", total))
  io.write(string.format("completed %d\n", summary.requests))
  io.write(string.format("errors %d %d %d %d %d\n", summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
