-- Appended to bench/post.lua (which sends the bodies) by serve_under_load.sh: checks every reply (status
-- 200 and a non-empty caveat), and done() prints "bad_replies N" summed over wrk's threads, the number of
-- requests ("completed N") and wrk's error counts ("errors connect read write status timeout").
local threads = {}
bad = 0

function setup(thread)
  table.insert(threads, thread)
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
