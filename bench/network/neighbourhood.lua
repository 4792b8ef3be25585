-- wrk script: GET the 2-hop neighbourhood of each entity in SG_ENTITIES in turn.
local entities = {}
for line in io.lines(os.getenv("SG_ENTITIES")) do entities[#entities + 1] = line end
local cookie = os.getenv("SG_COOKIE")
local i = 0

request = function()
  i = i % #entities + 1
  return wrk.format("GET", "/api/v1/network/neighbourhood?k=2&entity=" .. entities[i],
                    {["Cookie"] = cookie})
end
