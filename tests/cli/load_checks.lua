-- Appended to bench/post.lua (which sends the bodies) by serve_under_load.sh: checks every reply (status
-- 200 and a non-empty caveat) and, in help replies that carry the reload test's markers, that "Help version N"
-- and "Disclaimer version N" (written to two files at each reload) name the same N. done() prints, summed
-- over wrk's threads, "bad_replies N", "versioned_replies N" and "mixed_replies N", then the number of
-- requests ("completed N") and wrk's error counts ("errors connect read write status timeout").
local threads = {}
bad = 0
versioned = 0
mixed = 0

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  if status ~= 200 or not body:find('"caveat":"[^"]') then
    bad = bad + 1
  end
  -- Welcome and about replies carry the disclaimer too, so only help replies are compared.
  local help = body:match("Help version (%d+)")
  local disclaimer = body:match("Disclaimer version (%d+)")
  if body:find('"intent":"help"', 1, true) and (help or disclaimer) then
    versioned = versioned + 1
    if help ~= disclaimer then
      mixed = mixed + 1
    end
  end
end

function done(summary, latency, _requests)
  local totals = { bad = 0, versioned = 0, mixed = 0 }
  for _, thread in ipairs(threads) do
    for name in pairs(totals) do
      totals[name] = totals[name] + thread:get(name)
    end
  end
  io.write(string.format("bad_replies %d\n", totals.bad))
  io.write(string.format("versioned_replies %d\n", totals.versioned))
  io.write(string.format("mixed_replies %d\n", totals.mixed))
  io.write(string.format("completed %d\n", summary.requests))
  io.write(string.format("errors %d %d %d %d %d\n", summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.status, summary.errors.timeout))
end
