-- wrk script: POSTs the request bodies of a file (one JSON document per line) in turn, each request
-- formatted once at start so the load generator spends its time on the wire, not in Lua.
-- Usage: wrk ... -s bench/post.lua URL -- BODIES_FILE
local requests = {}
local next_index = 0

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
