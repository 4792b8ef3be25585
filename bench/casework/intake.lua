-- wrk script: POST /api/v1/concerns about a different child each time, so each one opens a
-- case with its referral-decision task, runs the alert rules and the online matcher. Names
-- are drawn by weight from the synthetic town's name lists (data/synth/), so the matcher's
-- blocks are as full as a town's common names make them; dates of birth span 2008-2016.
local cookie = os.getenv("SG_COOKIE")
local csrf = os.getenv("SG_CSRF")

-- Reads "…,name,weight" rows (comment and header lines skipped) into cumulative weights.
local function load(path)
  local names, cumulative, total = {}, {}, 0
  for line in io.lines(path) do
    local name, weight = line:match("([^,]+),(%d+)$")
    if name and not line:match("^#") then
      total = total + tonumber(weight)
      names[#names + 1] = name
      cumulative[#cumulative + 1] = total
    end
  end
  return {names = names, cumulative = cumulative, total = total}
end

local function pick(list)
  local r = math.random() * list.total
  local lo, hi = 1, #list.cumulative
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if list.cumulative[mid] < r then lo = mid + 1 else hi = mid end
  end
  return list.names[lo]
end

local given = load("data/synth/given_names.csv")
local family = load("data/synth/family_names.csv")

request = function()
  local body = string.format(
    '{"channel":"phone","received_at":"2026-11-02T09:00:00Z",' ..
    '"narrative":"Seen getting into a silver car outside school.",' ..
    '"children":[{"ref":"c1","given_name":"%s","family_name":"%s",' ..
    '"date_of_birth":"%04d-%02d-%02d"}],' ..
    '"indicators":[{"code":"M_SEEN_IN_CARS","child":"c1","observed_on":"2026-11-01"}]}',
    pick(given), pick(family), math.random(2008, 2016), math.random(1, 12), math.random(1, 28))
  return wrk.format("POST", "/api/v1/concerns", {
    ["Content-Type"] = "application/json",
    ["Cookie"] = cookie,
    ["X-CSRF-Token"] = csrf,
  }, body)
end

response = function(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. "\n")
  end
end
