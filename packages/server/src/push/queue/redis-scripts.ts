// The Redis queue's Lua scripts (see redis-queue.ts for the key layout). ARGV[1] is always the key prefix.
// Members of the sorted sets and sets are job IDs left-padded to 15 digits, so that members with the same
// score sort in enqueue order; job hashes and the IDs handed out use the plain number.
import { LuaScript } from '../../store/redis.js';

const COMMON = `
local P = ARGV[1]
local function pad(id) return string.rep('0', 15 - #id) .. id end
local function unpad(m) return (string.gsub(m, '^0+', '')) end
local function job(id) return P .. 'j:' .. id end
-- A job's lane (lanes.ts): its hash has b = 1 in the broadcast lane, whose due jobs wait in 'bdue'; the direct
-- lane's wait in 'due'.
local function dueOf(broadcast) if broadcast then return P .. 'bdue' end return P .. 'due' end
local function dueOfJob(k) return dueOf(redis.call('HGET', k, 'b')) end
local function notDue(m)
  redis.call('ZREM', P .. 'due', m)
  redis.call('ZREM', P .. 'bdue', m)
end
`;

/**
 * ARGV: P, now, at, group ('' = none), n, then n times: task JSON, app, cert, createdAt ('' = now), ext key
 * ('' = none), lane ('b' = broadcast, '' = direct).
 */
export const ENQUEUE = new LuaScript(`${COMMON}
local now, at, group, n = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local last = redis.call('INCRBY', P .. 'seq', n)
local out = {}
for i = 0, n - 1 do
  local b = 6 + i * 6
  local ext = ARGV[b + 4]
  local broadcast = ARGV[b + 5] == 'b'
  local existing = false
  -- A relayed job (outbox.ts) carries its outbox ID: relaying it twice keeps one job.
  if ext ~= '' then existing = redis.call('HGET', P .. 'ext', ext) end
  if existing then
    out[#out + 1] = existing
  else
    local id = string.format('%d', last - n + 1 + i)
    local m = pad(id)
    local created = ARGV[b + 3]
    if created == '' then created = now end
    local k = job(id)
    redis.call('HSET', k, 't', ARGV[b], 'a', ARGV[b + 1], 'c', ARGV[b + 2], 'n', 0, 'l', 0, 'cr', created,
      's', 'q', 'x', at)
    if group ~= '' then redis.call('HSET', k, 'g', group) end
    if broadcast then redis.call('HSET', k, 'b', 1) end
    if ext ~= '' then
      redis.call('HSET', k, 'ext', ext)
      redis.call('HSET', P .. 'ext', ext, id)
    end
    redis.call('ZADD', dueOf(broadcast), at, m)
    redis.call('SADD', P .. 'cq:' .. ARGV[b + 2], m)
    out[#out + 1] = id
  end
end
return out
`);

/**
 * ARGV: P, now, max, lease expiry, token, owner ('' = none), then for the direct lane and then the broadcast
 * lane: the number of certificates excluded from it, and their IDs. Takes the direct lane's due jobs first,
 * then the broadcast lane's (lanes.ts). Returns one {id, task, group, attempts, leaseCount, lastError,
 * createdAt} per leased job, in that order. An owner's leased jobs are also kept in lo:<owner> (RECLAIM_OWNER).
 */
export const LEASE = new LuaScript(`${COMMON}
local now, max, exp, token, owner = ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5], ARGV[6]
local out = {}
local at = 7
for _, set in ipairs({P .. 'due', P .. 'bdue'}) do
  local ne = tonumber(ARGV[at])
  local excluded = {}
  for i = 1, ne do excluded[ARGV[at + i]] = true end
  at = at + ne + 1
  local skipped = 0
  -- Leased members leave the due range (their score becomes the expiry), so the next page starts after the
  -- skipped ones. Bounded so that a long run of excluded jobs cannot stall Redis.
  local cap = max * 4 + 1000
  while #out < max and skipped <= cap do
    local page = redis.call('ZRANGEBYSCORE', set, '-inf', now, 'LIMIT', skipped, max - #out)
    if #page == 0 then break end
    for _, m in ipairs(page) do
      local id = unpad(m)
      local k = job(id)
      if ne > 0 and excluded[redis.call('HGET', k, 'c')] then
        skipped = skipped + 1
      else
        redis.call('HSET', k, 'k', token, 'x', exp)
        if owner ~= '' then
          redis.call('HSET', k, 'o', owner)
          redis.call('SADD', P .. 'lo:' .. owner, m)
        else
          redis.call('HDEL', k, 'o')
        end
        redis.call('HINCRBY', k, 'l', 1)
        redis.call('ZADD', set, exp, m)
        redis.call('ZADD', P .. 'leased', exp, m)
        local f = redis.call('HMGET', k, 't', 'g', 'n', 'l', 'e', 'cr')
        out[#out + 1] = {id, f[1], f[2], f[3], f[4], f[5], f[6]}
      end
    end
  end
end
return out
`);

/**
 * ARGV: P, now, n, then n job IDs. Makes relayed jobs due now that wait for their outbox rows to be deleted
 * (queued, never leased, no lease token: outbox.ts relayOnce); returns how many.
 */
export const RELEASE_RELAYED = new LuaScript(`${COMMON}
local now, n = ARGV[2], tonumber(ARGV[3])
local count = 0
for i = 1, n do
  local id = ARGV[3 + i]
  local k = job(id)
  local f = redis.call('HMGET', k, 's', 'k', 'l', 'b')
  if f[1] == 'q' and not f[2] and f[3] == '0' then
    redis.call('HSET', k, 'x', now)
    redis.call('ZADD', dueOf(f[4]), now, pad(id))
    count = count + 1
  end
end
return count
`);

/** ARGV: P, now, owner. Makes the jobs still leased by the owner due now; returns how many. */
export const RECLAIM_OWNER = new LuaScript(`${COMMON}
local now, owner = ARGV[2], ARGV[3]
local count = 0
for _, m in ipairs(redis.call('SMEMBERS', P .. 'lo:' .. owner)) do
  local k = job(unpad(m))
  local f = redis.call('HMGET', k, 's', 'k', 'o', 'b')
  if f[1] == 'q' and f[2] and f[3] == owner then
    redis.call('HDEL', k, 'k', 'o')
    redis.call('HSET', k, 'x', now)
    redis.call('ZADD', dueOf(f[4]), now, m)
    redis.call('ZREM', P .. 'leased', m)
    count = count + 1
  end
end
redis.call('DEL', P .. 'lo:' .. owner)
return count
`);

/**
 * ARGV: P, now, op (ack|retry|release|dead|hold|holdn), n, then n times: id, token, a, b.
 * retry: a = next attempt time, b = error; release: a = next attempt time; dead: a = error,
 * b = '' (no answer) or '=' .. answer; hold: a = error (holdn: the same, counting an attempt).
 * Returns the IDs that were stale.
 */
export const SETTLE = new LuaScript(`${COMMON}
local now, op, n = ARGV[2], ARGV[3], tonumber(ARGV[4])
local stale = {}
for i = 0, n - 1 do
  local b = 5 + i * 4
  local id, token, x, y = ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3]
  local k = job(id)
  local f = redis.call('HMGET', k, 's', 'k', 'c', 'a', 'ext', 'o', 'b')
  if f[1] ~= 'q' or f[2] ~= token then
    stale[#stale + 1] = id
  else
    local m = pad(id)
    redis.call('ZREM', P .. 'leased', m)
    if f[6] then redis.call('SREM', P .. 'lo:' .. f[6], m) end
    redis.call('HDEL', k, 'k', 'o')
    if op == 'ack' then
      redis.call('ZREM', dueOf(f[7]), m)
      redis.call('SREM', P .. 'cq:' .. f[3], m)
      if f[5] then redis.call('HDEL', P .. 'ext', f[5]) end
      redis.call('DEL', k)
    elseif op == 'retry' then
      redis.call('HINCRBY', k, 'n', 1)
      redis.call('HSET', k, 'x', x, 'e', y)
      redis.call('ZADD', dueOf(f[7]), x, m)
    elseif op == 'release' then
      redis.call('HSET', k, 'x', x)
      redis.call('ZADD', dueOf(f[7]), x, m)
    else
      redis.call('ZREM', dueOf(f[7]), m)
      redis.call('SREM', P .. 'cq:' .. f[3], m)
      redis.call('HSET', k, 'e', x, 'x', now, 'dd', now)
      if op == 'dead' then
        redis.call('HINCRBY', k, 'n', 1)
        redis.call('HSET', k, 's', 'd')
        if y ~= '' then redis.call('HSET', k, 'w', string.sub(y, 2)) else redis.call('HDEL', k, 'w') end
        redis.call('ZADD', P .. 'dead', 0, m)
        redis.call('ZADD', P .. 'da:' .. f[4], 0, m)
      else
        if op == 'holdn' then redis.call('HINCRBY', k, 'n', 1) end
        redis.call('HSET', k, 's', 'h')
        redis.call('ZADD', P .. 'held', 0, m)
        redis.call('SADD', P .. 'hc:' .. f[3], m)
      end
    end
  end
end
return stale
`);

/** ARGV: P, now, certificate ID, error. Holds the certificate's waiting jobs (not those under a live lease). */
export const HOLD_CERTIFICATE = new LuaScript(`${COMMON}
local now, cert, err = tonumber(ARGV[2]), ARGV[3], ARGV[4]
local count = 0
for _, m in ipairs(redis.call('SMEMBERS', P .. 'cq:' .. cert)) do
  local k = job(unpad(m))
  local f = redis.call('HMGET', k, 'k', 'x', 'o')
  if not f[1] or tonumber(f[2]) <= now then
    notDue(m)
    redis.call('ZREM', P .. 'leased', m)
    redis.call('SREM', P .. 'cq:' .. cert, m)
    if f[3] then redis.call('SREM', P .. 'lo:' .. f[3], m) end
    redis.call('HDEL', k, 'k', 'o')
    redis.call('HSET', k, 's', 'h', 'e', err, 'x', ARGV[2], 'dd', ARGV[2])
    redis.call('ZADD', P .. 'held', 0, m)
    redis.call('SADD', P .. 'hc:' .. cert, m)
    count = count + 1
  end
end
return count
`);

/** ARGV: P, now, certificate ID. Makes the certificate's held jobs due now. */
export const RESUME_CERTIFICATE = new LuaScript(`${COMMON}
local now, cert = ARGV[2], ARGV[3]
local members = redis.call('SMEMBERS', P .. 'hc:' .. cert)
for _, m in ipairs(members) do
  local k = job(unpad(m))
  redis.call('HSET', k, 's', 'q', 'x', now)
  redis.call('HDEL', k, 'dd')
  redis.call('ZREM', P .. 'held', m)
  redis.call('ZADD', dueOfJob(k), now, m)
  redis.call('SADD', P .. 'cq:' .. cert, m)
end
redis.call('DEL', P .. 'hc:' .. cert)
return #members
`);

/**
 * ARGV: P, app, certificate ('' = any), after (padded ID, '' = from the start), limit.
 * Returns up to limit + 1 dead jobs of the app: {id, task, group, attempts, leaseCount, lastError, createdAt,
 * deadAt, lastAnswer, nextAttemptAt}.
 */
export const LIST_DEAD = new LuaScript(`${COMMON}
local app, cert, after, limit = ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local from = '-'
if after ~= '' then from = '(' .. after end
local out = {}
while #out <= limit do
  local page = redis.call('ZRANGEBYLEX', P .. 'da:' .. app, from, '+', 'LIMIT', 0, 500)
  if #page == 0 then break end
  for _, m in ipairs(page) do
    local id = unpad(m)
    local f = redis.call('HMGET', job(id), 't', 'g', 'n', 'l', 'e', 'cr', 'dd', 'w', 'x', 'c')
    if cert == '' or f[10] == cert then
      out[#out + 1] = {id, f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9]}
      if #out > limit then break end
    end
    from = '(' .. m
  end
end
return out
`);

/**
 * ARGV: P, now, op (requeue|purge), app, certificate ('' = any), n, then n IDs (n = -1: every dead job of
 * the app). Returns how many jobs changed.
 */
export const DEAD_OP = new LuaScript(`${COMMON}
local now, op, app, cert, n = ARGV[2], ARGV[3], ARGV[4], ARGV[5], tonumber(ARGV[6])
local members = {}
if n < 0 then
  members = redis.call('ZRANGE', P .. 'da:' .. app, 0, -1)
else
  for i = 1, n do members[i] = pad(ARGV[6 + i]) end
end
local count = 0
for _, m in ipairs(members) do
  local k = job(unpad(m))
  local f = redis.call('HMGET', k, 's', 'a', 'c', 'ext')
  if f[1] == 'd' and f[2] == app and (cert == '' or f[3] == cert) then
    redis.call('ZREM', P .. 'dead', m)
    redis.call('ZREM', P .. 'da:' .. app, m)
    if op == 'purge' then
      if f[4] then redis.call('HDEL', P .. 'ext', f[4]) end
      redis.call('DEL', k)
    else
      redis.call('HSET', k, 's', 'q', 'n', 0, 'x', now)
      redis.call('HDEL', k, 'dd', 'w')
      redis.call('ZADD', dueOfJob(k), now, m)
      redis.call('SADD', P .. 'cq:' .. f[3], m)
    end
    count = count + 1
  end
end
return count
`);

/**
 * Counts one slice of the queue, so that counting a large backlog never blocks Redis for long (the caller
 * walks the slices). ARGV: P, now, app ('' = every app), set ('due', 'bdue' or 'held'), offset, count.
 * Returns {members seen, ready, delayed, leased, held, oldestReadyCreatedAt|false}.
 */
export const STATS_SLICE = new LuaScript(`${COMMON}
local now, app, set, offset, count = tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local ready, delayed, leased, held, oldest = 0, 0, 0, 0, false
local members = redis.call('ZRANGE', P .. set, offset, offset + count - 1, 'WITHSCORES')
for i = 1, #members, 2 do
  local f = redis.call('HMGET', job(unpad(members[i])), 'a', 'k', 'cr')
  if app == '' or f[1] == app then
    if set == 'held' then
      held = held + 1
    elseif tonumber(members[i + 1]) <= now then
      ready = ready + 1
      local cr = tonumber(f[3])
      if not oldest or cr < oldest then oldest = cr end
    elseif f[2] then
      leased = leased + 1
    else
      delayed = delayed + 1
    end
  end
end
if oldest then oldest = string.format('%d', oldest) end
return {#members / 2, ready, delayed, leased, held, oldest}
`);
