-- wrk script: POST /api/v1/concerns with a different child on every request, so each one
-- opens a case with its referral-decision task and runs the alert rules.
local counter = 0
local cookie = os.getenv("SG_COOKIE")
local csrf = os.getenv("SG_CSRF")

request = function()
  counter = counter + 1
  local body = string.format(
    '{"channel":"phone","received_at":"2026-11-02T09:00:00Z",' ..
    '"narrative":"Seen getting into a silver car outside school.",' ..
    '"children":[{"ref":"c1","given_name":"Child%d","family_name":"Bench%d",' ..
    '"date_of_birth":"2012-05-01"}],' ..
    '"indicators":[{"code":"M_SEEN_IN_CARS","child":"c1","observed_on":"2026-11-01"}]}',
    counter, math.random(1, 1000000000))
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
