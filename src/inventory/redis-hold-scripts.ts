import type { Cluster, Redis } from 'ioredis';

/**
 * The Lua scripts of the Redis hold store (hold-store.redis.ts). Each operation on one inventory is one
 * script, so it runs atomically on the Redis node that owns the inventory's hash slot. Decisions about
 * expiry use the Redis server clock (TIME), so API processes with skewed clocks agree.
 *
 * Keys of one inventory (all share the hash tag {inventoryId}):
 *   KEYS[1] sold    hash  seatId → sold legs "from,to;…"; "ga:<areaId>" → GA quantity sold;
 *                         ":loaded" → load ticket. No ":loaded" field = memory lost → NOT_LOADED.
 *                         Expires a week after its last load: it is only a copy and reloads on demand.
 *   KEYS[2] held    hash  seatId → hold claims "token,from,to,expiresAtMs;…"
 *   KEYS[3] ga      hash  areaId → GA hold claims "token,quantity,expiresAtMs;…"
 *   KEYS[4] holds   hash  token → "kind|from|to|createdAtMs|expiresAtMs|extended|seat,…|area:qty,…|owner"
 *   KEYS[5] expiry  zset  token by expiresAtMs (what the sweeper visits)
 * The sold copy and its loaded marker are one key, so they can only be lost together.
 *
 * Keeping the sold copy in step (syncSold) without re-reading every sale after each one: a committed sale
 * adds its seat-legs (ADD_SOLD) and also logs them, with a ticket, in `recent`; a full load (after memory
 * loss, or after a cancellation) takes a ticket before it reads the database, and when it lands it
 * re-applies the logged sales with a later ticket — its read may have missed them — and drops the older
 * ones, which its read saw. Tickets come from one per-inventory sequence (`loadseq`), so "later" is exact.
 * GA sold counts are absolute values, loaded on their own (LOAD_GA) with the same tickets.
 *   sold fields ":loaded" = ticket of the last full load, ":galoaded" = ticket of the GA counts' read
 *   loadseq string  the last ticket handed out
 *   recent  list    "ticket|seat:from,to;…" per sale since the last full load, oldest first
 */

const PRELUDE = `
if redis.replicate_commands then redis.replicate_commands() end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
-- Lua's tostring loses digits past 14; every time is written with this.
local function num(n) return string.format('%.0f', n) end

local function seat_claims(value)
  local claims = {}
  if value then
    for token, from, to, expires in string.gmatch(value, '([^,;]+),(%d+),(%d+),(%d+)') do
      claims[#claims + 1] = { token, tonumber(from), tonumber(to), tonumber(expires) }
    end
  end
  return claims
end
local function encode_seat_claims(claims)
  local parts = {}
  for i, c in ipairs(claims) do parts[i] = c[1] .. ',' .. num(c[2]) .. ',' .. num(c[3]) .. ',' .. num(c[4]) end
  return table.concat(parts, ';')
end
local function ga_claims(value)
  local claims = {}
  if value then
    for token, quantity, expires in string.gmatch(value, '([^,;]+),(%d+),(%d+)') do
      claims[#claims + 1] = { token, tonumber(quantity), tonumber(expires) }
    end
  end
  return claims
end
local function encode_ga_claims(claims)
  local parts = {}
  for i, c in ipairs(claims) do parts[i] = c[1] .. ',' .. num(c[2]) .. ',' .. num(c[3]) end
  return table.concat(parts, ';')
end
local function write_field(key, field, value)
  if value == '' then redis.call('HDEL', key, field) else redis.call('HSET', key, field, value) end
end
local function sold_overlaps(value, from, to)
  if value then
    for f, t in string.gmatch(value, '(%d+),(%d+)') do
      if tonumber(f) < to and from < tonumber(t) then return true end
    end
  end
  return false
end

-- Tickets: server microseconds, strictly increasing per inventory.
local function next_ticket(key)
  local t = redis.call('TIME')
  local ticket = tonumber(t[1]) * 1000000 + tonumber(t[2])
  local last = tonumber(redis.call('GET', key) or '0')
  if ticket <= last then ticket = last + 1 end
  redis.call('SET', key, num(ticket), 'PX', 3600000)
  return ticket
end
-- Adds one sold leg "from,to" to a seat's sold legs, once.
local function add_sold_leg(key, seat, leg)
  local value = redis.call('HGET', key, seat)
  if not value or value == '' then redis.call('HSET', key, seat, leg); return end
  for existing in string.gmatch(value, '[^;]+') do
    if existing == leg then return end
  end
  redis.call('HSET', key, seat, value .. ';' .. leg)
end
-- A load whose ticket is older than this is refused (it would need sales already dropped from recent).
local RECENT_US = 120000000

local function decode_hold(value)
  if not value then return nil end
  local kind, from, to, created, expires, extended, seats, ga, owner = string.match(value,
    '^([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|([^|]*)|(.*)$')
  if not kind then return nil end
  return { kind = kind, from = tonumber(from), to = tonumber(to), created = tonumber(created),
           expires = tonumber(expires), extended = extended, seats = seats, ga = ga, owner = owner }
end
local function encode_hold(h)
  return table.concat({ h.kind, num(h.from), num(h.to), num(h.created), num(h.expires), h.extended, h.seats,
                        h.ga, h.owner }, '|')
end
local function hold_reply(h)
  return { h.kind, num(h.from), num(h.to), num(h.created), num(h.expires), h.extended, h.seats, h.ga, h.owner }
end

-- Drops the claims of one hold (and any expired ones) from the seats and areas it covers; when
-- new_expires is given, moves that hold's claims to the new expiry instead.
local function rewrite_claims(hold, token, now, new_expires)
  for seat in string.gmatch(hold.seats, '[^,]+') do
    local kept = {}
    for _, c in ipairs(seat_claims(redis.call('HGET', KEYS[2], seat))) do
      if c[1] == token then
        if new_expires then c[4] = new_expires; kept[#kept + 1] = c end
      elseif c[4] > now then kept[#kept + 1] = c end
    end
    write_field(KEYS[2], seat, encode_seat_claims(kept))
  end
  for area in string.gmatch(hold.ga, '([^,:]+):%d+') do
    local kept = {}
    for _, c in ipairs(ga_claims(redis.call('HGET', KEYS[3], area))) do
      if c[1] == token then
        if new_expires then c[3] = new_expires; kept[#kept + 1] = c end
      elseif c[3] > now then kept[#kept + 1] = c end
    end
    write_field(KEYS[3], area, encode_ga_claims(kept))
  end
end

-- Hold keys vanish by themselves some time after the last hold in them expired, so an inventory that the
-- sweeper never visits again leaves nothing behind. (The sold copy never expires: it is reloadable.)
local KEEP_MS = 600000
local function keep_until(expires, now)
  local want = expires + KEEP_MS - now
  for i = 2, 5 do
    local ttl = redis.call('PTTL', KEYS[i])
    if ttl == -1 or (ttl >= 0 and ttl < want) then redis.call('PEXPIRE', KEYS[i], num(want)) end
  end
end
`;

/**
 * ARGV: token, owner, kind, from, to, ttlMs, seatCount, seatId…, gaCount, (areaId, quantity, capacity)…
 * → {'NOT_LOADED'} | {'TAKEN', seatIds, (areaId, requested, available)…} | {'DUPLICATE'}
 *   | {'OK', createdAtMs, expiresAtMs, register} — register = 1 when the sweeper must learn of this hold.
 */
const CREATE = `${PRELUDE}
if redis.call('HEXISTS', KEYS[1], ':loaded') == 0 then return { 'NOT_LOADED' } end
local now = now_ms()
local token, owner, kind = ARGV[1], ARGV[2], ARGV[3]
local from, to, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local seat_count = tonumber(ARGV[7])

-- Check everything first; write only if everything is free.
local taken, live_seats = {}, {}
for i = 1, seat_count do
  local seat = ARGV[7 + i]
  local busy = sold_overlaps(redis.call('HGET', KEYS[1], seat), from, to)
  local live = {}
  for _, c in ipairs(seat_claims(redis.call('HGET', KEYS[2], seat))) do
    if c[4] > now then
      live[#live + 1] = c
      if c[2] < to and from < c[3] then busy = true end
    end
  end
  if busy then taken[#taken + 1] = seat end
  live_seats[i] = live
end
local ga_at = 8 + seat_count
local ga_count = tonumber(ARGV[ga_at])
local short, live_areas = {}, {}
for j = 1, ga_count do
  local at = ga_at + 3 * (j - 1)
  local area, quantity, capacity = ARGV[at + 1], tonumber(ARGV[at + 2]), tonumber(ARGV[at + 3])
  local used = tonumber(redis.call('HGET', KEYS[1], 'ga:' .. area) or '0')
  local live = {}
  for _, c in ipairs(ga_claims(redis.call('HGET', KEYS[3], area))) do
    if c[3] > now then
      live[#live + 1] = c
      used = used + c[2]
    end
  end
  if quantity > capacity - used then
    short[#short + 1] = area
    short[#short + 1] = quantity
    short[#short + 1] = math.max(0, capacity - used)
  end
  live_areas[j] = live
end
if #taken > 0 or #short > 0 then return { 'TAKEN', taken, short } end
if redis.call('HEXISTS', KEYS[4], token) == 1 then return { 'DUPLICATE' } end

local expires = now + ttl
local seats, areas = {}, {}
for i = 1, seat_count do
  local seat = ARGV[7 + i]
  local live = live_seats[i]
  live[#live + 1] = { token, from, to, expires }
  redis.call('HSET', KEYS[2], seat, encode_seat_claims(live))
  seats[i] = seat
end
for j = 1, ga_count do
  local at = ga_at + 3 * (j - 1)
  local area, quantity = ARGV[at + 1], tonumber(ARGV[at + 2])
  local live = live_areas[j]
  live[#live + 1] = { token, quantity, expires }
  redis.call('HSET', KEYS[3], area, encode_ga_claims(live))
  areas[j] = area .. ':' .. num(quantity)
end
local first = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
local register = 0
if #first == 0 or tonumber(first[2]) > expires then register = 1 end
redis.call('HSET', KEYS[4], token, encode_hold({ kind = kind, from = from, to = to, created = now,
  expires = expires, extended = '0', seats = table.concat(seats, ','), ga = table.concat(areas, ','), owner = owner }))
redis.call('ZADD', KEYS[5], num(expires), token)
keep_until(expires, now)
return { 'OK', num(now), num(expires), register }
`;

/** ARGV: token → hold fields, or nil when unknown or expired. */
const GET = `${PRELUDE}
local hold = decode_hold(redis.call('HGET', KEYS[4], ARGV[1]))
if not hold or hold.expires <= now_ms() then return false end
return hold_reply(hold)
`;

/** ARGV: token, owner, byMs, maxLifetimeMs → {'OK', fields…} | {'NOT_FOUND'} | {'ALREADY_EXTENDED'} */
const EXTEND = `${PRELUDE}
local now = now_ms()
local token, owner = ARGV[1], ARGV[2]
local hold = decode_hold(redis.call('HGET', KEYS[4], token))
if not hold or hold.expires <= now or hold.owner ~= owner then return { 'NOT_FOUND' } end
if hold.extended == '1' then return { 'ALREADY_EXTENDED' } end
local expires = math.max(hold.expires, math.min(now + tonumber(ARGV[3]), hold.created + tonumber(ARGV[4])))
rewrite_claims(hold, token, now, expires)
hold.expires = expires
hold.extended = '1'
redis.call('HSET', KEYS[4], token, encode_hold(hold))
redis.call('ZADD', KEYS[5], num(expires), token)
keep_until(expires, now)
return { 'OK', hold_reply(hold) }
`;

/** ARGV: token, owner → 1 when a live hold of this owner was released, else 0. */
const RELEASE = `${PRELUDE}
local now = now_ms()
local token = ARGV[1]
local hold = decode_hold(redis.call('HGET', KEYS[4], token))
if not hold or hold.expires <= now or hold.owner ~= ARGV[2] then return 0 end
rewrite_claims(hold, token, now, nil)
redis.call('HDEL', KEYS[4], token)
redis.call('ZREM', KEYS[5], token)
return 1
`;

/** ARGV: limit → {expired holds removed, earliest remaining expiry or '-1'} */
const SWEEP = `${PRELUDE}
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', num(now), 'LIMIT', 0, tonumber(ARGV[1]))
for _, token in ipairs(due) do
  local hold = decode_hold(redis.call('HGET', KEYS[4], token))
  if hold then
    rewrite_claims(hold, token, now, nil)
    redis.call('HDEL', KEYS[4], token)
  end
  redis.call('ZREM', KEYS[5], token)
end
local first = redis.call('ZRANGE', KEYS[5], 0, 0, 'WITHSCORES')
return { #due, first[2] or '-1' }
`;

/**
 * ARGV: from, to → {'NOT_LOADED'}
 *   | {'OK', heldSeatIds, soldSeatIds, (areaId, held, sold)…, first expiry of a counted hold in ms or '-1'}
 */
const OCCUPANCY = `${PRELUDE}
if redis.call('HEXISTS', KEYS[1], ':loaded') == 0 then return { 'NOT_LOADED' } end
local now = now_ms()
local from, to = tonumber(ARGV[1]), tonumber(ARGV[2])
local held, sold = {}, {}
local next_expiry = -1
local function counts_until(expires)
  if next_expiry < 0 or expires < next_expiry then next_expiry = expires end
end
local fields = redis.call('HGETALL', KEYS[2])
for i = 1, #fields, 2 do
  local is_held = false
  for _, c in ipairs(seat_claims(fields[i + 1])) do
    if c[4] > now and c[2] < to and from < c[3] then
      is_held = true
      counts_until(c[4])
    end
  end
  if is_held then held[#held + 1] = fields[i] end
end
local ga_held, ga_sold = {}, {}
fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local field = fields[i]
  if string.sub(field, 1, 3) == 'ga:' then
    ga_sold[string.sub(field, 4)] = tonumber(fields[i + 1])
  elseif field ~= ':loaded' and sold_overlaps(fields[i + 1], from, to) then
    sold[#sold + 1] = field
  end
end
fields = redis.call('HGETALL', KEYS[3])
for i = 1, #fields, 2 do
  local sum = 0
  for _, c in ipairs(ga_claims(fields[i + 1])) do
    if c[3] > now then
      sum = sum + c[2]
      counts_until(c[3])
    end
  end
  if sum > 0 then ga_held[fields[i]] = sum end
end
local areas = {}
for area in pairs(ga_sold) do areas[area] = true end
for area in pairs(ga_held) do areas[area] = true end
local ga = {}
for area in pairs(areas) do
  ga[#ga + 1] = area
  ga[#ga + 1] = ga_held[area] or 0
  ga[#ga + 1] = ga_sold[area] or 0
end
return { 'OK', held, sold, ga, num(next_expiry) }
`;

/** ARGV: segmentCount, (from, to)… → {'NOT_LOADED'} | {'OK', distinct seats held or sold on any segment} */
const COUNT_UNAVAILABLE = `${PRELUDE}
if redis.call('HEXISTS', KEYS[1], ':loaded') == 0 then return { 'NOT_LOADED' } end
local now = now_ms()
local segments = {}
for i = 1, tonumber(ARGV[1]) do
  segments[i] = { tonumber(ARGV[2 * i]), tonumber(ARGV[2 * i + 1]) }
end
local taken, count = {}, 0
local fields = redis.call('HGETALL', KEYS[2])
for i = 1, #fields, 2 do
  for _, c in ipairs(seat_claims(fields[i + 1])) do
    if c[4] > now and not taken[fields[i]] then
      for _, s in ipairs(segments) do
        if c[2] < s[2] and s[1] < c[3] then
          taken[fields[i]] = true
          count = count + 1
          break
        end
      end
    end
  end
end
fields = redis.call('HGETALL', KEYS[1])
for i = 1, #fields, 2 do
  local field = fields[i]
  if not taken[field] and field ~= ':loaded' and string.sub(field, 1, 3) ~= 'ga:' then
    for _, s in ipairs(segments) do
      if sold_overlaps(fields[i + 1], s[1], s[2]) then
        taken[field] = true
        count = count + 1
        break
      end
    end
  end
end
return { 'OK', count }
`;

/** KEYS[1] = an inventory's expiry zset. ARGV: withinMs → {live holds, of which expiring within withinMs} */
const COUNT_LIVE = `${PRELUDE}
local now = now_ms()
local live = redis.call('ZCOUNT', KEYS[1], '(' .. num(now), '+inf')
local soon = redis.call('ZCOUNT', KEYS[1], '(' .. num(now), num(now + tonumber(ARGV[1])))
return { live, soon }
`;

/**
 * KEYS[1] = sold, KEYS[2] = recent. ARGV: ticket, (field, value)… — replaces the sold copy with what the
 * database said, unless a load with a later ticket (a later database read) was applied already; then
 * re-applies the sales logged after this ticket. GA counts read later than this load (LOAD_GA) are kept.
 * → 1 applied, 0 stale (a later load won), -1 ticket too old (take a new one and read again).
 */
const LOAD_SOLD = `${PRELUDE}
local ticket = tonumber(ARGV[1])
local applied = redis.call('HGET', KEYS[1], ':loaded')
if applied and tonumber(applied) >= ticket then return 0 end
local t = redis.call('TIME')
if tonumber(t[1]) * 1000000 + tonumber(t[2]) - ticket > RECENT_US then return -1 end
local ga_loaded = tonumber(redis.call('HGET', KEYS[1], ':galoaded') or '0')
local kept_ga = {}
if ga_loaded > ticket then
  local fields = redis.call('HGETALL', KEYS[1])
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 3) == 'ga:' then kept_ga[#kept_ga + 1] = fields[i]; kept_ga[#kept_ga + 1] = fields[i + 1] end
  end
end
redis.call('DEL', KEYS[1])
local i = 2
while i <= #ARGV do
  local last = math.min(i + 399, #ARGV)
  if ga_loaded > ticket then
    for j = i, last, 2 do
      if string.sub(ARGV[j], 1, 3) ~= 'ga:' then redis.call('HSET', KEYS[1], ARGV[j], ARGV[j + 1]) end
    end
  else
    redis.call('HSET', KEYS[1], unpack(ARGV, i, last))
  end
  i = last + 1
end
if #kept_ga > 0 then redis.call('HSET', KEYS[1], unpack(kept_ga)) end
redis.call('HSET', KEYS[1], ':loaded', ARGV[1], ':galoaded', num(math.max(ga_loaded, ticket)))
local entries = redis.call('LRANGE', KEYS[2], 0, -1)
local seen = 0
for _, entry in ipairs(entries) do
  local entry_ticket, body = string.match(entry, '^(%d+)|(.*)$')
  if tonumber(entry_ticket) <= ticket then
    seen = seen + 1
  else
    for seat, leg in string.gmatch(body, '([^:;]+):(%d+,%d+)') do add_sold_leg(KEYS[1], seat, leg) end
  end
end
if seen > 0 then redis.call('LTRIM', KEYS[2], seen, -1) end
-- Reloadable, so it may go: past events and trips do not keep memory forever.
redis.call('PEXPIRE', KEYS[1], 604800000)
return 1
`;

/**
 * KEYS[1] = sold, KEYS[2] = loadseq, KEYS[3] = recent. ARGV: (seatId, from, to)… — what one committed sale
 * added. → 'OK', or 'NOT_LOADED' (memory lost: a full load, which will see this sale, is needed).
 */
const ADD_SOLD = `${PRELUDE}
if redis.call('HEXISTS', KEYS[1], ':loaded') == 0 then return 'NOT_LOADED' end
local ticket = next_ticket(KEYS[2])
local parts = {}
for i = 1, #ARGV, 3 do
  local leg = ARGV[i + 1] .. ',' .. ARGV[i + 2]
  add_sold_leg(KEYS[1], ARGV[i], leg)
  parts[#parts + 1] = ARGV[i] .. ':' .. leg
end
redis.call('RPUSH', KEYS[3], num(ticket) .. '|' .. table.concat(parts, ';'))
-- Entries older than any load may still be (see LOAD_SOLD's RECENT_US) are never needed again.
while true do
  local first = redis.call('LINDEX', KEYS[3], 0)
  if not first or tonumber(string.match(first, '^(%d+)|')) >= ticket - RECENT_US then break end
  redis.call('LPOP', KEYS[3])
end
redis.call('PEXPIRE', KEYS[3], 3600000)
return 'OK'
`;

/**
 * KEYS[1] = sold. ARGV: ticket, (areaId, sold)… — GA sold counts read from the database after the ticket.
 * → 1 applied, 0 stale (a later read was applied), 'NOT_LOADED' (a full load is needed).
 */
const LOAD_GA = `
if redis.call('HEXISTS', KEYS[1], ':loaded') == 0 then return 'NOT_LOADED' end
local ticket = tonumber(ARGV[1])
if tonumber(redis.call('HGET', KEYS[1], ':galoaded') or '0') >= ticket then return 0 end
for i = 2, #ARGV, 2 do redis.call('HSET', KEYS[1], 'ga:' .. ARGV[i], ARGV[i + 1]) end
redis.call('HSET', KEYS[1], ':galoaded', ARGV[1])
return 1
`;

/**
 * KEYS[1] = the inventory's load sequence. → a ticket (server microseconds, strictly increasing per
 * inventory), taken before the database is read, so the newest read always wins.
 */
const LOAD_TICKET = `${PRELUDE}
return num(next_ticket(KEYS[1]))
`;

/**
 * KEYS[1] = the global sweep index (zset inventoryId by when it next needs sweeping). ARGV: inventoryId,
 * expiresAtMs. A score already due is overwritten, so a sweeper that read it before cannot drop this
 * inventory afterwards (see SETTLE).
 */
const REGISTER = `${PRELUDE}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(ARGV[2]) < tonumber(score) or tonumber(score) <= now_ms() then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
end
return 1
`;

/**
 * KEYS[1] = the global sweep index. ARGV: inventoryId, score the sweeper saw, next expiry or -1.
 * Compare-and-set: if a create registered meanwhile, its score stands.
 */
const SETTLE = `
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if not score or tonumber(score) ~= tonumber(ARGV[2]) then return 0 end
if tonumber(ARGV[3]) < 0 then redis.call('ZREM', KEYS[1], ARGV[1]) else redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1]) end
return 1
`;

type Arg = string | number;

/** The scripts as client commands (ioredis sends EVALSHA and falls back to EVAL on NOSCRIPT). */
export interface HoldScripts {
  boHoldCreate(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldGet(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldExtend(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldRelease(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldSweep(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldOccupancy(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldCountUnavailable(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldCountLive(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldLoadSold(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldAddSold(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldLoadGa(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldLoadTicket(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldRegister(...keysThenArgs: Arg[]): Promise<unknown>;
  boHoldSettle(...keysThenArgs: Arg[]): Promise<unknown>;
}

const INVENTORY_KEYS = 5;

const DEFINITIONS: Record<keyof HoldScripts, { lua: string; numberOfKeys: number }> = {
  boHoldCreate: { lua: CREATE, numberOfKeys: INVENTORY_KEYS },
  boHoldGet: { lua: GET, numberOfKeys: INVENTORY_KEYS },
  boHoldExtend: { lua: EXTEND, numberOfKeys: INVENTORY_KEYS },
  boHoldRelease: { lua: RELEASE, numberOfKeys: INVENTORY_KEYS },
  boHoldSweep: { lua: SWEEP, numberOfKeys: INVENTORY_KEYS },
  boHoldOccupancy: { lua: OCCUPANCY, numberOfKeys: INVENTORY_KEYS },
  boHoldCountUnavailable: { lua: COUNT_UNAVAILABLE, numberOfKeys: INVENTORY_KEYS },
  boHoldLoadSold: { lua: LOAD_SOLD, numberOfKeys: 2 },
  boHoldAddSold: { lua: ADD_SOLD, numberOfKeys: 3 },
  boHoldLoadGa: { lua: LOAD_GA, numberOfKeys: 1 },
  boHoldCountLive: { lua: COUNT_LIVE, numberOfKeys: 1 },
  boHoldLoadTicket: { lua: LOAD_TICKET, numberOfKeys: 1 },
  boHoldRegister: { lua: REGISTER, numberOfKeys: 1 },
  boHoldSettle: { lua: SETTLE, numberOfKeys: 1 },
};

/** Registers the hold scripts on a client (Redis or Cluster) and returns it typed with them. */
export function defineHoldScripts(redis: Redis | Cluster): HoldScripts {
  for (const [name, definition] of Object.entries(DEFINITIONS)) redis.defineCommand(name, definition);
  return redis as unknown as HoldScripts;
}
