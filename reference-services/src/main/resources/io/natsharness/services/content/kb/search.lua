-- Finds, ranks and pages facts in one atomic read (knowledge_base.search), so a page never
-- holds a fact deleted before it was read.
-- KEYS[1] facts hash, KEYS[2..] the query's term zsets, then the tag sets (counts in ARGV[1..2])
-- ARGV[3] offset, ARGV[4] page size
-- Answers {"OK", total, id, score, record, id, score, record, ...}: score descending, id ascending.
local nTerms, nTags = tonumber(ARGV[1]), tonumber(ARGV[2])
local offset, size = tonumber(ARGV[3]), tonumber(ARGV[4])
local hits = {}
local function hasTags(id)
  for k = 2 + nTerms, 1 + nTerms + nTags do
    if redis.call('SISMEMBER', KEYS[k], id) == 0 then
      return false
    end
  end
  return true
end
if nTerms > 0 then
  -- unpack() must come last in an argument list, or Lua passes only its first value.
  local args = {'ZUNION', nTerms}
  for k = 2, 1 + nTerms do
    args[#args + 1] = KEYS[k]
  end
  args[#args + 1] = 'WITHSCORES'
  local union = redis.call(unpack(args))
  for i = 1, #union, 2 do
    if hasTags(union[i]) then
      hits[#hits + 1] = {union[i], tonumber(union[i + 1])}
    end
  end
else
  local tagKeys = {}
  for k = 2, 1 + nTags do
    tagKeys[#tagKeys + 1] = KEYS[k]
  end
  for _, id in ipairs(redis.call('SINTER', unpack(tagKeys))) do
    hits[#hits + 1] = {id, 0}
  end
end
-- Byte-wise, because Lua's "<" on strings follows the server's collation locale.
local function lessBytes(a, b)
  for i = 1, math.min(#a, #b) do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then
      return x < y
    end
  end
  return #a < #b
end
table.sort(hits, function(a, b)
  if a[2] ~= b[2] then
    return a[2] > b[2]
  end
  return lessBytes(a[1], b[1])
end)
local out = {'OK', #hits}
for i = offset + 1, math.min(offset + size, #hits) do
  local id = hits[i][1]
  out[#out + 1] = id
  out[#out + 1] = tostring(hits[i][2])
  out[#out + 1] = redis.call('HGET', KEYS[1], id)
end
return out
